/**
 * The reads of the query benchmark, each through the AuditService (zod, grants, masking, access
 * log) and, side by side, the same compiled SQL on a plain DuckDB connection. Imported only after
 * the server-only hook is registered (query.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AccessLog } from '../lib/audit/access-log';
import { parseActivityRequest } from '../lib/audit/activity-request';
import { TOP_DIMENSION_NAMES } from '../lib/audit/queries';
import { AuditService } from '../lib/audit/service';
import { buildPrincipal } from '../lib/auth/principal';
import { defaultConfig } from '../lib/config/load';
import { DuckdbEngine } from '../lib/query/duckdb';
import type { CompiledQuery } from '../lib/query/engine';
import { compile, sql } from '../lib/query/sql';
import { LocalStore } from '../lib/store/local';
import type { ObjectStore } from '../lib/store/types';
import { RawDuckdb, RecordingEngine } from './query-raw';
import { median, percentile } from './util';

const DAY_MS = 86_400_000;
const WARMUP = 2;
const ITERATIONS = Number(process.env.BENCH_QUERY_ITERATIONS ?? 15);
export const FREE_TEXT_WORD = 'refund';
export const EXPLORER_Q = 'class:DML,DDL -user:rdsadmin';

export function benchPrincipal() {
  const p = buildPrincipal(
    { id: 'bench', name: 'bench', idp: 'local', roles: ['admin'], sessionId: 'b' },
    defaultConfig(),
  );
  if (p === null) throw new Error('the default config has no admin role');
  return p;
}

export interface ReadFigures {
  apiP50: number;
  apiP95: number;
  rawP50: number;
  rawP95: number;
  queries: number;
  recorded: CompiledQuery[];
}

const ms = (t: number) => Math.round((performance.now() - t) * 10) / 10;

async function measure(
  engine: RecordingEngine,
  raw: RawDuckdb,
  api: () => Promise<unknown>,
  /** Untimed, after each API call: waits for its access-log entry's deferred fsync, so that the
   *  disk work it leaves behind does not land in the raw query timed next. */
  settle: () => Promise<void>,
): Promise<ReadFigures> {
  engine.recorded = [];
  await api();
  const recorded = [...engine.recorded];
  const replay = () => (recorded.length === 1 && recorded[0] ? raw.run(recorded[0]) : raw.runAll(recorded));
  for (let i = 0; i < WARMUP; i++) {
    await api();
    await settle();
    await replay();
  }
  const apiTimes: number[] = [];
  const rawTimes: number[] = [];
  // Interleaved, so load from other processes hits both sides alike.
  for (let i = 0; i < ITERATIONS; i++) {
    let t = performance.now();
    await api();
    apiTimes.push(ms(t));
    await settle();
    t = performance.now();
    await replay();
    rawTimes.push(ms(t));
  }
  return {
    apiP50: median(apiTimes),
    apiP95: percentile(apiTimes, 95),
    rawP50: median(rawTimes),
    rawP95: percentile(rawTimes, 95),
    queries: recorded.length,
    recorded,
  };
}

async function pickSession(raw: RawDuckdb, engine: RecordingEngine, now: Date) {
  const from = new Date(now.getTime() - DAY_MS);
  const q = compile(
    sql`SELECT session_id, resource_id, count(*) AS n FROM ${engine.dialect.activitySource()} WHERE dt >= CAST(${from.toISOString().slice(0, 10)} AS DATE) AND event_time >= ${from} AND session_id IS NOT NULL GROUP BY ALL HAVING count(*) BETWEEN 20 AND 1000 ORDER BY n DESC LIMIT 1`,
    'bench.pick-session',
  );
  const rows = await raw.rows(q);
  const row = rows[0];
  if (row === undefined) throw new Error('no session with 20–1000 events in the last 24 h');
  return { sessionId: String(row[0]), resourceId: String(row[1]), events: Number(row[2]) };
}

/** A store that drops every write: the access log's encoding without its I/O. */
const DISCARD_STORE: ObjectStore = {
  root: 'discard:',
  put: async () => undefined,
  get: async () => null,
  async *list() {},
};

export interface ReadsResult {
  figures: Record<string, ReadFigures>;
  sessionEvents: number;
  accessLogAppendP50: number;
}

/** Runs every read against the store at `storeRoot`, "now" being `now`. */
export async function benchReads(storeRoot: string, now: Date): Promise<ReadsResult> {
  const logDir = mkdtempSync(join(tmpdir(), 'dasboard-bench-access-'));
  const engine = new RecordingEngine(new DuckdbEngine({ storeRoot: resolve(storeRoot) }));
  const logStore = new LocalStore(logDir);
  const accessLog = new AccessLog(logStore);
  const settle = () => logStore.flush();
  const service = new AuditService({ engine, accessLog, now: () => now });
  const raw = await RawDuckdb.open(2);
  const principal = benchPrincipal();
  const ago = (days: number) => ({
    from: new Date(now.getTime() - days * DAY_MS).toISOString(),
    to: now.toISOString(),
  });
  const day = parseActivityRequest(ago(1), now);
  const recentChanges = parseActivityRequest({ q: 'class:DDL,DCL', limit: 20, ...ago(1) }, now);
  const explorer = parseActivityRequest({ q: EXPLORER_Q, ...ago(1) }, now);
  const freeText = parseActivityRequest({ q: `"${FREE_TEXT_WORD}"`, ...ago(7) }, now);
  const ddl = parseActivityRequest(ago(30), now);
  try {
    const session = await pickSession(raw, engine, now);
    const figures: Record<string, ReadFigures> = {};
    figures.overview = await measure(
      engine,
      raw,
      () =>
        Promise.all([
          service.overview(principal, day),
          service.countsOverTime(principal, day),
          ...TOP_DIMENSION_NAMES.map((dimension) =>
            service.topValues(principal, { query: day, dimension, n: 10 }),
          ),
          service.authFailures(principal, day),
          service.listEvents(principal, recentChanges),
        ]),
      settle,
    );
    figures.explorer = await measure(engine, raw, () => service.listEvents(principal, explorer), settle);
    // The same page with the access log's entry encoded but not written: how much of the
    // overhead is the log write that every search makes before its answer.
    const unlogged = new AuditService({ engine, accessLog: new AccessLog(DISCARD_STORE), now: () => now });
    figures.explorerUnlogged = await measure(
      engine,
      raw,
      () => unlogged.listEvents(principal, explorer),
      settle,
    );
    figures.freeText = await measure(engine, raw, () => service.listEvents(principal, freeText), settle);
    figures.ddlTimeline = await measure(engine, raw, () => service.ddlTimeline(principal, ddl), settle);
    figures.session = await measure(
      engine,
      raw,
      () => service.getSession(principal, { sessionId: session.sessionId, resourceId: session.resourceId }),
      settle,
    );
    const appends: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await accessLog.append({
        at: now.toISOString(),
        user: 'bench',
        roles: ['admin'],
        action: 'search',
        query: { q: 'bench' },
        rows: 0,
        bytesScanned: null,
        requestId: null,
      });
      appends.push(ms(t));
      await settle();
    }
    return { figures, sessionEvents: session.events, accessLogAppendP50: median(appends) };
  } finally {
    raw.close();
    await engine.close();
    rmSync(logDir, { recursive: true, force: true });
  }
}

/** EXPLAIN ANALYZE of each query of a read (for a read that misses its goal). */
export async function explainReads(figures: ReadFigures): Promise<string[]> {
  const raw = await RawDuckdb.open(1);
  try {
    const out: string[] = [];
    for (const q of figures.recorded) out.push(`-- ${q.label}\n${await raw.explainAnalyze(q)}`);
    return out;
  } finally {
    raw.close();
  }
}
