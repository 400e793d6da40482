import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, createConfigSource, loadConfig, loadConfigFile, parseConfig } from './load';
import { DEFAULT_ROLES } from './schema';

const HASH = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5';
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dasboard-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('loadConfig', () => {
  it('is the default roles and no users without a file', () => {
    // Act
    const config = loadConfig(undefined);

    // Assess
    expect(Object.keys(config.roles)).toEqual(['admin', 'auditor', 'security-lead', 'app-team']);
    expect(config.users).toEqual([]);
    expect(config.oidc).toBeUndefined();
  });

  it('merges file roles over the defaults (same name replaces, new names add)', () => {
    // Prepare
    const file = write('c.json', {
      roles: {
        'app-team': { classes: ['DDL', 'DML'], databases: ['orders', 'billing'], statementText: 'masked' },
        dba: { classes: ['DDL', 'DCL'], export: true },
      },
      users: [{ name: 'ann', roles: ['dba'], passwordHash: HASH }],
    });

    // Act
    const config = loadConfigFile(file);

    // Assess
    expect(config.roles['app-team']?.databases).toEqual(['orders', 'billing']);
    expect(config.roles.dba).toMatchObject({
      classes: ['DDL', 'DCL'],
      resources: '*',
      export: true,
      accessLog: false,
    });
    expect(config.roles.admin).toEqual(DEFAULT_ROLES.admin);
  });
});

describe('config errors', () => {
  it('names the file and the issue path', () => {
    // Prepare
    const file = write('bad.json', { roles: { auditor: { classes: ['DDL', 'SELECT'] } }, users: [] });

    // Act + Assess
    expect(() => loadConfigFile(file)).toThrow(ConfigError);
    expect(() => loadConfigFile(file)).toThrow(`${file}: invalid config\n  roles.auditor.classes.1:`);
  });

  it('reports unknown keys, unknown roles of users and of OIDC groups, and duplicate users', () => {
    // Prepare
    const document = {
      roles: {},
      users: [
        { name: 'ann', roles: ['admin', 'root'], passwordHash: HASH },
        { name: 'ann', roles: ['auditor'], passwordHash: HASH },
      ],
      oidc: { issuer: 'https://idp.example.com', clientId: 'x', groupRoles: { ops: ['operator'] } },
    };

    // Act
    let message = '';
    try {
      parseConfig(document, 'cfg.json');
    } catch (err) {
      message = err instanceof Error ? err.message : '';
    }

    // Assess
    expect(message).toBe(
      [
        'cfg.json: invalid config',
        '  users.0.roles.1: unknown role "root"',
        '  users.1.name: duplicate user "ann"',
        '  oidc.groupRoles.ops.0: unknown role "operator"',
      ].join('\n'),
    );
    expect(() => parseConfig({ roles: {}, extra: 1 }, 'x.json')).toThrow(/\(root\): Unrecognized key/);
  });

  it('says when the file is missing or is not JSON', () => {
    expect(() => loadConfigFile(path.join(dir, 'missing.json'))).toThrow(
      /missing\.json: cannot read the config file \(ENOENT\)/,
    );
    expect(() => loadConfigFile(write('broken.json', '{ "roles": '))).toThrow(/broken\.json: not valid JSON/);
  });
});

describe('createConfigSource', () => {
  it('re-reads the file when it changes and caches it otherwise', () => {
    // Prepare
    const file = write('live.json', { roles: {} });
    const read = createConfigSource(file);
    const first = read();

    // Act
    const cached = read();
    writeFileSync(
      file,
      JSON.stringify({ roles: {}, users: [{ name: 'bo', roles: ['auditor'], passwordHash: HASH }] }),
    );
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const changed = read();

    // Assess
    expect(cached).toBe(first);
    expect(changed.users.map((u) => u.name)).toEqual(['bo']);
  });

  it('fails loudly (no stale fallback) once the file turns invalid', () => {
    // Prepare
    const file = write('live.json', { roles: {} });
    const read = createConfigSource(file);
    read();

    // Act
    writeFileSync(file, '{');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));

    // Assess
    expect(() => read()).toThrow(ConfigError);
  });
});
