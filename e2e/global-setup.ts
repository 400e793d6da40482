import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
// H8 (data API specs): fixture activity data.
import { writeFixtureStore } from '../lib/audit/fixture-store';
import { makeFixtureEvents } from '../lib/audit/fixtures';
import { hashPassword } from '../lib/auth/password';
import { ensureGeneratedActivity } from './generated-store';
import { E2E_CONFIG, E2E_DIR, E2E_STORE, E2E_USERS } from './paths';

/**
 * Test users for the e2e run: one local user per default role, plus a fresh brute-force victim and decoy,
 * each with a random password, written to the config the server reads (DASBOARD_CONFIG) and to
 * users.json for the specs. Runs before the server starts (webServer command) and again as
 * Playwright's globalSetup; the server re-reads the config when it changes, so both agree.
 */

export interface E2eUser {
  readonly name: string;
  readonly role: string;
  readonly password: string;
}

export const DEFAULT_ROLE_NAMES = ['admin', 'auditor', 'security-lead', 'app-team'] as const;

export default async function globalSetup(): Promise<void> {
  mkdirSync(E2E_STORE, { recursive: true, mode: 0o700 });
  const run = randomBytes(3).toString('hex');
  const users: E2eUser[] = [
    ...DEFAULT_ROLE_NAMES.map((role) => ({
      name: `e2e-${role}`,
      role,
      password: randomBytes(18).toString('base64url'),
    })),
    // A new victim per run: a lock-out from an earlier run never leaks into this one.
    { name: `victim-${run}`, role: 'auditor', password: randomBytes(18).toString('base64url') },
    { name: `decoy-${run}`, role: 'auditor', password: randomBytes(18).toString('base64url') },
  ];
  const configUsers = await Promise.all(
    users.map(async (u) => ({ name: u.name, roles: [u.role], passwordHash: await hashPassword(u.password) })),
  );
  writeJson(E2E_CONFIG, { roles: {}, users: configUsers });
  writeJson(E2E_USERS, users);
  await addExporterRole(users, configUsers);
  await writeActivityFixtures();
  await ensureGeneratedActivity();
}

// --- H8 (data API specs): the synthetic fixture dataset (2026-01-10/11) as Parquet in the store.
// Deterministic, so a store that already has it is left alone (this setup runs twice per e2e run).
// Checked by day: the generated UI data (e2e/generated-store.ts) shares the activity folder.
async function writeActivityFixtures(): Promise<void> {
  const activity = path.join(E2E_STORE, 'activity');
  const hasFixtureDay = (cls: string) => existsSync(path.join(activity, cls, 'dt=2026-01-10'));
  if (existsSync(activity) && readdirSync(activity).some(hasFixtureDay)) return;
  await writeFixtureStore(E2E_STORE, makeFixtureEvents());
}

/** An auditor-like role that may export but only some classes and databases, with masked text. */
export const EXPORTER_ROLE = {
  description: 'e2e: export of DDL/DCL in app and postgres, masked',
  classes: ['DDL', 'DCL'],
  databases: ['app', 'postgres'],
  statementText: 'masked',
  export: true,
};

async function addExporterRole(users: E2eUser[], configUsers: unknown[]): Promise<void> {
  const exporter = {
    name: 'e2e-exporter',
    role: 'e2e-exporter',
    password: randomBytes(18).toString('base64url'),
  };
  const entry = {
    name: exporter.name,
    roles: [exporter.role],
    passwordHash: await hashPassword(exporter.password),
  };
  writeJson(E2E_CONFIG, { roles: { 'e2e-exporter': EXPORTER_ROLE }, users: [...configUsers, entry] });
  writeJson(E2E_USERS, [...users, exporter]);
}
// --- end H8

function writeJson(file: string, value: unknown): void {
  mkdirSync(E2E_DIR, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

// `node --import tsx e2e/global-setup.ts` (the webServer command) runs it directly.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await globalSetup();
}
