import { readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';
import { configSchema, type DasboardConfig, DEFAULT_ROLES } from './schema';

/**
 * Reads and validates the config file (DASBOARD_CONFIG). No `server-only`: the CLI uses it too.
 * File roles override the default roles of the same name; other defaults stay available.
 */

export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

export function defaultConfig(): DasboardConfig {
  return { roles: { ...DEFAULT_ROLES }, users: [], filters: [] };
}

/** Validates a parsed config document; `source` names it in errors (a path). */
export function parseConfig(document: unknown, source: string): DasboardConfig {
  const result = configSchema.safeParse(document);
  if (!result.success) {
    const lines = result.error.issues.flatMap((i) =>
      explain(i).map((e) => `  ${formatPath(e.path)}: ${e.message}`),
    );
    throw new ConfigError(`${source}: invalid config\n${lines.join('\n')}`);
  }
  const config: DasboardConfig = { ...result.data, roles: { ...DEFAULT_ROLES, ...result.data.roles } };
  const problems = findUnknownRoles(config);
  if (problems.length > 0) throw new ConfigError(`${source}: invalid config\n${problems.join('\n')}`);
  return config;
}

/** Reads and validates the file at `file`. */
export function loadConfigFile(file: string): DasboardConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unreadable';
    throw new ConfigError(`${file}: cannot read the config file (${reason})`, { cause: err });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : 'parse error';
    throw new ConfigError(`${file}: not valid JSON (${reason})`, { cause: err });
  }
  return parseConfig(document, file);
}

/** The config at `file`, or the default config when no file is set. */
export function loadConfig(file: string | undefined): DasboardConfig {
  return file === undefined ? defaultConfig() : loadConfigFile(file);
}

/**
 * A config accessor that re-reads the file when its mtime or size changes, so `dasboard users add`
 * takes effect without a restart. A file that turns invalid keeps failing loudly (no stale fallback).
 */
export function createConfigSource(file: string | undefined): () => DasboardConfig {
  let cached: { stamp: string; config: DasboardConfig } | undefined;
  return () => {
    if (file === undefined) {
      cached ??= { stamp: '', config: defaultConfig() };
      return cached.config;
    }
    const stamp = fileStamp(file);
    if (cached?.stamp === stamp) return cached.config;
    const config = loadConfigFile(file);
    cached = { stamp, config };
    return config;
  };
}

function fileStamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch (err) {
    throw new ConfigError(`${file}: cannot read the config file (missing?)`, { cause: err });
  }
}

function findUnknownRoles(config: DasboardConfig): string[] {
  const known = new Set(Object.keys(config.roles));
  const problems: string[] = [];
  config.users.forEach((user, u) => {
    user.roles.forEach((role, r) => {
      if (!known.has(role)) problems.push(`  users.${u}.roles.${r}: unknown role "${role}"`);
    });
  });
  const seen = new Set<string>();
  config.users.forEach((user, u) => {
    if (seen.has(user.name)) problems.push(`  users.${u}.name: duplicate user "${user.name}"`);
    seen.add(user.name);
  });
  for (const [group, roles] of Object.entries(config.oidc?.groupRoles ?? {})) {
    roles.forEach((role, r) => {
      if (!known.has(role)) problems.push(`  oidc.groupRoles.${group}.${r}: unknown role "${role}"`);
    });
  }
  return problems;
}

type Issue = z.core.$ZodIssue;

// "Invalid input" on a union (e.g. classes: '*' | [...]) says nothing: show the branch that got
// furthest, e.g. `roles.auditor.classes.1: Invalid option: expected one of "DDL"|…`.
function explain(issue: Issue): { path: PropertyKey[]; message: string }[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0)
    return [{ path: issue.path, message: issue.message }];
  const depth = (branch: Issue[]) => Math.max(...branch.map((i) => i.path.length));
  const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
  if (best.length === 0 || depth(best) === 0) return [{ path: issue.path, message: issue.message }];
  return best.flatMap(explain).map((e) => ({ path: [...issue.path, ...e.path], message: e.message }));
}

function formatPath(p: readonly PropertyKey[]): string {
  return p.length === 0 ? '(root)' : p.map(String).join('.');
}
