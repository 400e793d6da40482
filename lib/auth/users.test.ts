import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../config/load';
import { verifyPassword, WeakPasswordError } from './password';
import { addLocalUser, runUsersAdd, UsageError } from './users';

let dir = '';
let file = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dasboard-users-'));
  file = path.join(dir, 'dasboard.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function output() {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { out, text: () => chunks.join('') };
}

describe('runUsersAdd', () => {
  it('creates the config file with the user, reading the password from stdin, mode 0600', async () => {
    // Prepare
    const { out, text } = output();

    // Act
    await runUsersAdd(
      { name: 'ann', role: 'auditor', config: file },
      Readable.from(['s3cret-enough-pass\n']),
      out,
    );

    // Assess
    const config = loadConfigFile(file);
    const ann = config.users.find((u) => u.name === 'ann');
    expect(ann?.roles).toEqual(['auditor']);
    expect(await verifyPassword('s3cret-enough-pass', ann?.passwordHash ?? '')).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(text()).toBe(`added user ann (auditor) in ${file}\n`);
    expect(readFileSync(file, 'utf8')).not.toContain('s3cret');
  });

  it('refuses without a config path, with an unknown role, or with a weak password — file untouched', async () => {
    // Prepare
    const original = `${JSON.stringify({ roles: {}, users: [] }, null, 2)}\n`;
    writeFileSync(file, original);
    const stdin = (pw: string) => Readable.from([`${pw}\n`]);

    // Act + Assess
    await expect(
      runUsersAdd({ name: 'a', role: 'admin', config: undefined }, stdin('long-enough-pass')),
    ).rejects.toThrow('no config file: set DASBOARD_CONFIG (or --config) to the file to write');
    await expect(
      runUsersAdd({ name: 'a', role: 'root', config: file }, stdin('long-enough-pass')),
    ).rejects.toThrow('unknown role "root" (known roles: admin, auditor, security-lead, app-team)');
    await expect(
      runUsersAdd({ name: 'a', role: 'admin', config: file }, stdin('short')),
    ).rejects.toBeInstanceOf(WeakPasswordError);
    await expect(
      runUsersAdd({ name: 'bad name', role: 'admin', config: file }, stdin('long-enough-pass')),
    ).rejects.toBeInstanceOf(UsageError);
    await expect(runUsersAdd({ name: 'a', role: 'admin', config: file }, Readable.from([]))).rejects.toThrow(
      'no password on stdin',
    );
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(readdirSync(dir)).toEqual(['dasboard.json']);
  });
});

describe('addLocalUser', () => {
  it('keeps the rest of the file (roles, filters, oidc) and its mode; refuses duplicates unless replace', async () => {
    // Prepare
    const document = {
      roles: { dba: { classes: ['DDL'] } },
      filters: [{ name: 'no-monitoring', users: ['rdsmon'] }],
      oidc: { issuer: 'https://idp.example.com', clientId: 'dasboard', groupRoles: { dbas: ['dba'] } },
    };
    writeFileSync(file, JSON.stringify(document), { mode: 0o640 });

    // Act
    const first = await addLocalUser(file, 'bo', ['dba', 'auditor'], 'first-password-1');
    const duplicate = addLocalUser(file, 'bo', ['dba'], 'second-password-2');
    await expect(duplicate).rejects.toThrow(
      `user "bo" already exists in ${file} (use --replace to change it)`,
    );
    const replaced = await addLocalUser(file, 'bo', ['dba'], 'second-password-2', { replace: true });

    // Assess
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(first).toEqual({ created: true });
    expect(replaced).toEqual({ created: false });
    expect(written.roles).toEqual(document.roles);
    expect(written.filters).toEqual(document.filters);
    expect(written.oidc).toEqual(document.oidc);
    expect(written.users).toHaveLength(1);
    expect(written.users[0].roles).toEqual(['dba']);
    expect(await verifyPassword('second-password-2', written.users[0].passwordHash)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it('refuses to touch a config file that is not valid', async () => {
    // Prepare
    writeFileSync(file, '{"roles": {}, "users": [{"name": "x"}]}');

    // Act + Assess
    await expect(addLocalUser(file, 'ann', ['admin'], 'long-enough-pass')).rejects.toThrow(/invalid config/);
  });
});
