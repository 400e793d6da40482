/**
 * Builds the query benchmark's store: generated DAS traffic over 30 days, normalised and written
 * as Hive-partitioned Parquet into a LocalStore (no envelope encryption: the ingest benchmark
 * covers it). Split by time into parts, each a child process, so two cores build it together.
 * Cached: a `.complete` marker makes later runs reuse it.
 *
 *   node --import tsx bench/build-store.ts [events] [dir]      (parent: spawns the parts)
 *   node --import tsx bench/build-store.ts --part i/n events dir
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTraffic } from '../ingest/generate/traffic';
import { normalisePayload } from '../ingest/normalise';
import { parsePayload } from '../ingest/payload-schema';
import { writeBatch } from '../ingest/writer';
import type { ClassifiedEvent } from '../lib/audit/schema';
import { LocalStore } from '../lib/store/local';

const DAY_MS = 86_400_000;
/** The store's "now": every read of the benchmark is relative to it. */
export const STORE_END = new Date(Date.UTC(2026, 10, 25));
export const STORE_DAYS = 30;
const CHUNK_EVENTS = 500_000;
const PARTS = 2;

export function storeDirFor(events: number): string {
  return events === 10_000_000 ? '.bench/store-10m' : `.bench/store-${events}`;
}

async function buildPart(part: number, parts: number, events: number, dir: string): Promise<void> {
  const store = new LocalStore(dir);
  const span = (STORE_DAYS * DAY_MS) / parts;
  const from = new Date(STORE_END.getTime() - STORE_DAYS * DAY_MS + part * span);
  const to = new Date(from.getTime() + span);
  const share = Math.floor(events / parts) + (part < events % parts ? 1 : 0);
  const ingestedAt = BigInt(STORE_END.getTime()) * 1000n;
  let pending: ClassifiedEvent[] = [];
  let chunk = 0;
  let done = 0;
  const flush = async () => {
    await writeBatch(store, `bench-p${part}-c${String(chunk).padStart(3, '0')}`, pending, []);
    done += pending.length;
    chunk += 1;
    pending = [];
    process.stderr.write(
      `[build-store part ${part}/${parts}] ${done.toLocaleString('en-US')} events written\n`,
    );
  };
  for (const r of generateTraffic({
    seed: 1000 + part,
    events: share,
    from,
    to,
    eventsPerRecord: { min: 300, max: 800 },
    heartbeatEvery: 0,
  })) {
    const items = normalisePayload(parsePayload(r.payload), {
      resourceId: r.source.resourceId,
      dasVersion: r.source.version,
      ingestedAt,
    });
    for (const item of items) if (item.kind === 'event') pending.push(item.event);
    if (pending.length >= CHUNK_EVENTS) await flush();
  }
  if (pending.length > 0) await flush();
}

function runPart(part: number, parts: number, events: number, dir: string): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, self, '--part', `${part}/${parts}`, String(events), dir],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`build-store part ${part} exited with ${code}`)),
    );
  });
}

export interface StoreInfo {
  dir: string;
  files: number;
  bytes: number;
  buildSeconds: number | null;
}

function measureTree(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith('.parquet')) continue;
    files += 1;
    bytes += statSync(join(e.parentPath, e.name)).size;
  }
  return { files, bytes };
}

/** The cached store for `events`, built first if it has no `.complete` marker. */
export async function ensureStore(events: number): Promise<StoreInfo> {
  const dir = storeDirFor(events);
  const marker = join(dir, '.complete');
  let buildSeconds: number | null = null;
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const t = performance.now();
    await Promise.all(Array.from({ length: PARTS }, (_, p) => runPart(p, PARTS, events, dir)));
    buildSeconds = (performance.now() - t) / 1000;
    writeFileSync(marker, `${JSON.stringify({ events, buildSeconds })}\n`);
  }
  return { dir, ...measureTree(join(dir, 'activity')), buildSeconds };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--part') {
    const [i, n] = (args[1] ?? '0/1').split('/').map(Number);
    await buildPart(i ?? 0, n ?? 1, Number(args[2]), String(args[3]));
  } else {
    const events = Number(args[0] ?? process.env.BENCH_QUERY_EVENTS ?? 10_000_000);
    const info = await ensureStore(events);
    process.stdout.write(`${JSON.stringify(info)}\n`);
  }
}
