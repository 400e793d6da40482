import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addLocalUser } from '../auth/users';
import { runGenerate } from './generate';
import { runIngestParallel } from './ingest';

/** The demo's default roles and the local user created for each. */
const DEMO_USERS = ['admin', 'auditor', 'security-lead', 'app-team'] as const;

export interface DemoUser {
  name: string;
  role: string;
  password: string;
}

/** True when the store already holds activity Parquet (any class, any day). */
export async function hasActivity(storeDir: string): Promise<boolean> {
  try {
    const files = await readdir(join(storeDir, 'activity'), { recursive: true });
    return files.some((f) => f.endsWith('.parquet'));
  } catch {
    return false;
  }
}

/**
 * Demo data through the real path: `generate` (encrypted DAS records sealed with a local key)
 * then `ingest` (decrypt, classify, Parquet). Records are packed densely (300–800 events each)
 * so that a million events take two minutes at most on two cores; `generate` alone defaults
 * to realistic packing.
 */
export async function createDemoData(
  storeDir: string,
  events: number,
  log: (line: string) => void,
): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  const stateDir = join(storeDir, '.dasboard');
  const inputDir = join(stateDir, 'demo-input');
  const keyFile = join(stateDir, 'local-key.json');
  await rm(inputDir, { recursive: true, force: true });
  const to = new Date();
  const from = new Date(to.getTime() - 30 * 86_400_000);
  let lastPct = -1;
  const progress = (label: string) => (n: number) => {
    const pct = Math.floor((n / events) * 10) * 10;
    if (pct > lastPct) {
      lastPct = pct;
      log(`${label} ${pct}% (${n.toLocaleString('en-US')} events)`);
    }
  };
  const generated = await runGenerate({
    events,
    from,
    to,
    seed: 1,
    sources: 4,
    format: 'ndjson',
    out: inputDir,
    keyFile,
    region: 'eu-west-1',
    eventsPerRecord: { min: 300, max: 800 },
    heartbeatEvery: 43_200,
    onProgress: progress('generating encrypted DAS records:'),
  });
  lastPct = -1;
  const files = (await readdir(inputDir)).map((f) => join(inputDir, f));
  const ingested = await runIngestParallel(
    { files, store: storeDir, localKey: keyFile },
    2,
    progress('ingesting (decrypt → classify → Parquet):'),
  );
  await rm(inputDir, { recursive: true, force: true });
  log(
    `demo data: ${ingested.events.stored.toLocaleString('en-US')} events from ${generated.records.toLocaleString('en-US')} records, ${ingested.heartbeats} heartbeats, ${ingested.kmsCalls} data-key unwraps`,
  );
  return { events: ingested.events.stored, seconds: (performance.now() - started) / 1000 };
}

/** Creates the demo config with one local user per default role (random passwords), once. */
export async function ensureDemoUsers(configFile: string, credentialsFile: string): Promise<DemoUser[]> {
  if (existsSync(credentialsFile)) {
    return JSON.parse(await readFile(credentialsFile, 'utf8')) as DemoUser[];
  }
  const users: DemoUser[] = [];
  for (const role of DEMO_USERS) {
    const password = randomBytes(12).toString('base64url');
    await addLocalUser(configFile, role, [role], password, { replace: true });
    users.push({ name: role, role, password });
  }
  await mkdir(join(credentialsFile, '..'), { recursive: true });
  await writeFile(credentialsFile, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
  return users;
}
