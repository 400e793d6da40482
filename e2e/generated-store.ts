import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';
import { E2E_DIR, E2E_STORE } from './paths';

/**
 * The UI specs' data: DAS traffic made and stored through the real path, `dasboard generate`
 * (encrypted records sealed with a local key) then `dasboard ingest --local-key`, over days that
 * the fixture days (2026-01-10/11) never touch, so the API contract specs keep their numbers.
 */

export const GENERATED = {
  from: '2026-02-02T00:00:00.000Z',
  to: '2026-02-05T00:00:00.000Z',
  days: ['2026-02-02', '2026-02-03', '2026-02-04'],
  events: 20_000,
  seed: 20_260_202,
} as const;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'bin', 'dasboard.mjs');
const WORK = path.join(E2E_DIR, 'generated');
const KEY = path.join(WORK, 'local-key.json');
const INPUT = path.join(WORK, 'input');
// Written last: a store without it may hold a half-finished ingest, which is wiped and redone.
const MARKER = path.join(E2E_STORE, '.dasboard', `generated-${GENERATED.seed}-${GENERATED.events}.json`);

const generateSummarySchema = z.object({ events: z.number(), records: z.number(), files: z.number() });
const ingestSummarySchema = z.object({
  records: z.object({ quarantined: z.number() }),
  events: z.object({ stored: z.number(), byClass: z.record(z.string(), z.number()) }),
});

const run = promisify(execFile);

async function dasboard(args: readonly string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [CLI, ...args], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
    env: withoutConfig(process.env),
  });
  return JSON.parse(stdout);
}

// The e2e config has users, not filter rules; ingest must keep every generated event.
function withoutConfig(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DASBOARD_CONFIG: _config, ...rest } = env;
  return rest;
}

/** Generates and ingests the range once; later calls (global setup runs twice) return at once. */
export async function ensureGeneratedActivity(): Promise<void> {
  if (existsSync(MARKER)) return;
  removeGeneratedDays();
  rmSync(INPUT, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true, mode: 0o700 });
  const started = performance.now();
  // Dense packing (hundreds of events a record): few records, so few signature checks, fast setup.
  const generated = generateSummarySchema.parse(
    await dasboard([
      'generate',
      ...['--events', String(GENERATED.events), '--seed', String(GENERATED.seed)],
      ...['--from', GENERATED.from, '--to', GENERATED.to],
      ...['--format', 'ndjson', '--out', INPUT, '--local-key', KEY],
      ...['--events-per-record', '200-400', '--heartbeat-every', '3600', '--workers', '1'],
    ]),
  );
  const files = readdirSync(INPUT).map((f) => path.join(INPUT, f));
  const ingested = ingestSummarySchema.parse(
    await dasboard(['ingest', ...files, '--store', E2E_STORE, '--local-key', KEY]),
  );
  if (ingested.events.stored !== generated.events || ingested.records.quarantined !== 0) {
    throw new Error(
      `generated store: ${generated.events} events made, ${ingested.events.stored} stored, ${ingested.records.quarantined} records quarantined`,
    );
  }
  rmSync(INPUT, { recursive: true, force: true });
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  mkdirSync(path.dirname(MARKER), { recursive: true, mode: 0o700 });
  writeFileSync(MARKER, `${JSON.stringify({ ...GENERATED, seconds, byClass: ingested.events.byClass })}\n`);
}

function removeGeneratedDays(): void {
  const activity = path.join(E2E_STORE, 'activity');
  if (!existsSync(activity)) return;
  for (const classDir of readdirSync(activity)) {
    for (const day of GENERATED.days) {
      rmSync(path.join(activity, classDir, `dt=${day}`), { recursive: true, force: true });
    }
  }
}
