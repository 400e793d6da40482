import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, parseConfig } from '../config/load';
import { localUserSchema } from '../config/schema';
import { assertPasswordStrength, hashPassword } from './password';
import { readPassword } from './read-password';

/** `dasboard users add NAME --role ROLE`: local users of the embedded mode, written into the config file. */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface UsersAddOptions {
  readonly name: string;
  /** One role or several (`--role a --role b`). */
  readonly role: string | readonly string[];
  /** The config file to write (the CLI passes `--config` or DASBOARD_CONFIG). */
  readonly config: string | undefined;
  /** Replace an existing user's roles and password instead of refusing. */
  readonly replace?: boolean;
}

const rawDocumentSchema = z.looseObject({ users: z.array(z.unknown()).optional() });

/**
 * Adds (or, with `replace`, updates) a local user and rewrites the config file atomically
 * (temp file + fsync + rename, mode kept or 0600). Validates the name, that every role exists
 * (defaults or file roles), and the password strength. Returns whether the user is new.
 */
export async function addLocalUser(
  configPath: string,
  name: string,
  roles: readonly string[],
  password: string,
  opts: { replace?: boolean } = {},
): Promise<{ created: boolean }> {
  const validName = localUserSchema.shape.name.safeParse(name);
  if (!validName.success) throw new UsageError(validName.error.issues[0]?.message ?? 'invalid user name');
  if (roles.length === 0) throw new UsageError('give at least one --role');
  const { document, mode } = readDocument(configPath);
  const current = parseConfig(document, configPath);
  for (const role of roles) {
    if (current.roles[role] === undefined) {
      const known = Object.keys(current.roles).join(', ');
      throw new UsageError(`unknown role "${role}" (known roles: ${known})`);
    }
  }
  assertPasswordStrength(password, name);
  const index = current.users.findIndex((u) => u.name === name);
  if (index !== -1 && opts.replace !== true) {
    throw new UsageError(`user "${name}" already exists in ${configPath} (use --replace to change it)`);
  }
  const user = { name, roles: [...new Set(roles)], passwordHash: await hashPassword(password) };
  const raw = rawDocumentSchema.parse(document);
  const users = [...(raw.users ?? [])];
  if (index === -1) users.push(user);
  else users[index] = user;
  const next = { ...raw, users };
  parseConfig(next, configPath); // never write a file the server would refuse
  writeAtomically(configPath, `${JSON.stringify(next, null, 2)}\n`, mode);
  return { created: index === -1 };
}

/** The CLI verb: password from stdin (first line; masked prompt on a terminal). */
export async function runUsersAdd(
  options: UsersAddOptions,
  stdin: NodeJS.ReadableStream,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  if (options.config === undefined || options.config === '') {
    throw new UsageError('no config file: set DASBOARD_CONFIG (or --config) to the file to write');
  }
  const roles = typeof options.role === 'string' ? [options.role] : [...options.role];
  const password = await readPassword(stdin, `Password for ${options.name}: `);
  const { created } = await addLocalUser(options.config, options.name, roles, password, {
    replace: options.replace,
  });
  out.write(
    `${created ? 'added' : 'updated'} user ${options.name} (${roles.join(', ')}) in ${options.config}\n`,
  );
}

function readDocument(file: string): { document: unknown; mode: number } {
  let text: string;
  let mode = 0o600;
  try {
    text = readFileSync(file, 'utf8');
    mode = statSync(file).mode & 0o777;
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') {
      return { document: { roles: {}, users: [] }, mode };
    }
    throw new ConfigError(`${file}: cannot read the config file`, { cause: err });
  }
  try {
    return { document: JSON.parse(text), mode };
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON; fix it before adding users`, { cause: err });
  }
}

function writeAtomically(file: string, text: string, mode: number): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
