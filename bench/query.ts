/**
 * Query benchmark (issue 3): p50/p95 of the dashboard's reads through the AuditService over a
 * generated store (10 M events by default, BENCH_QUERY_EVENTS overrides), side by side with the same
 * compiled SQL run directly in DuckDB; CSV export rows/s and peak RSS in a child process. The store
 * is built once (bench/build-store.ts, no envelope encryption: the ingest benchmark covers it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { register } from 'node:module';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ensureStore, STORE_DAYS, STORE_END } from './build-store';
import { printTable } from './util';

const GOALS_MS: Record<string, number> = { overview: 300, explorer: 100, freeText: 1000 };
/** Rows the export should cover (days are chosen to get about this many); env overrides for quick runs. */
const EXPORT_ROWS = Number(process.env.BENCH_QUERY_EXPORT_ROWS ?? 5_000_000);
const MAX_OVERHEAD = 1.25;

/**
 * The export runs on every core of the machine (DuckDB's scan and CSV writer are parallel, and a
 * laptop has several), baseline included; the reads stay on the one core the bench is pinned to.
 */
function exportFigures(storeRoot: string, days: number, columns: 'default' | 'all'): Record<string, number> {
  const script = fileURLToPath(new URL('./query-export.ts', import.meta.url));
  const child = [...process.execArgv, script, storeRoot, STORE_END.toISOString(), String(days), columns];
  const cores = cpus().length;
  const pinned = spawnSync('taskset', ['--version']).status === 0;
  const [command, args] = pinned
    ? ['taskset', ['-c', `0-${cores - 1}`, process.execPath, ...child]]
    : [process.execPath, child];
  const out = execFileSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number>;
  return r;
}

/** The fewest most recent days whose statements (the export's rows) reach `rows`. */
async function daysForRows(storeDir: string, rows: number): Promise<number> {
  const { RawDuckdb } = await import('./query-raw');
  const raw = await RawDuckdb.open(1);
  try {
    const glob = `${storeDir}/activity/class=*/dt=*/*.parquet`.replaceAll("'", "''");
    const perDay = await raw.rows({
      text: `SELECT dt, count(*) FROM read_parquet('${glob}', hive_partitioning = true) WHERE NOT is_aux GROUP BY dt ORDER BY dt DESC`,
      params: [],
      label: 'bench.rows-per-day',
    });
    let total = 0;
    for (const [i, [, n]] of perDay.entries()) {
      total += Number(n);
      if (total >= rows) return i + 1;
    }
    return perDay.length;
  } finally {
    raw.close();
  }
}

export async function benchQuery(): Promise<Record<string, number | string>> {
  const events = Number(process.env.BENCH_QUERY_EVENTS ?? 10_000_000);
  const store = await ensureStore(events);
  register('../bin/server-only-hook.mjs', import.meta.url);
  const { benchReads } = await import('./query-reads');
  const reads = await benchReads(store.dir, STORE_END);
  const rows: Record<string, number | string> = {
    events,
    'store files': store.files,
    'store MB': Math.round(store.bytes / 1e5) / 10,
    ...(store.buildSeconds === null ? {} : { 'store build s': Math.round(store.buildSeconds) }),
    encryption: 'skipped (covered by the ingest benchmark)',
  };
  for (const [name, f] of Object.entries(reads.figures)) {
    const goal = GOALS_MS[name];
    rows[`${name} queries`] = f.queries;
    rows[`${name} api p50 ms`] = f.apiP50;
    rows[`${name} api p95 ms`] = f.apiP95;
    rows[`${name} raw p50 ms`] = f.rawP50;
    rows[`${name} raw p95 ms`] = f.rawP95;
    rows[`${name} api/raw p50`] = Math.round((f.apiP50 / f.rawP50) * 100) / 100;
    if (goal !== undefined)
      rows[`${name} goal`] = f.apiP50 <= goal ? `met (<= ${goal} ms)` : `MISSED (> ${goal} ms)`;
  }
  const ratios = Object.entries(reads.figures)
    .filter(([name]) => name !== 'explorerUnlogged')
    .map(([, f]) => f.apiP50 / f.rawP50);
  rows['api overhead goal'] = ratios.every((r) => r <= MAX_OVERHEAD)
    ? `met (<= ${MAX_OVERHEAD}x)`
    : `MISSED (> ${MAX_OVERHEAD}x)`;
  rows['session events'] = reads.sessionEvents;
  rows['access-log append p50 ms'] = reads.accessLogAppendP50;
  const days = await daysForRows(store.dir, EXPORT_ROWS);
  rows['export days'] = days;
  rows['export cores'] = cpus().length;
  for (const columns of ['default', 'all'] as const) {
    const ex = exportFigures(store.dir, days, columns);
    const rowsPerS = Math.round((ex.rows ?? 0) / (ex.seconds ?? 1));
    const name = `export (${columns === 'default' ? 'default columns, no raw' : 'all columns'})`;
    rows[`${name} rows`] = ex.rows ?? 0;
    rows[`${name} MB`] = Math.round((ex.bytes ?? 0) / 1e5) / 10;
    rows[`${name} s`] = Math.round((ex.seconds ?? 0) * 10) / 10;
    rows[`${name} rows/s`] = rowsPerS;
    rows[`${name} peak RSS MB`] = ex.maxRssMB ?? 0;
    rows[`${name} child RSS before MB`] = ex.baseRssMB ?? 0;
    rows[`${name} raw DuckDB COPY s (unsorted)`] = Math.round((ex.rawSeconds ?? 0) * 10) / 10;
    rows[`${name} / raw COPY time`] = Math.round(((ex.seconds ?? 0) / (ex.rawSeconds || 1)) * 100) / 100;
    rows[`${name} goal`] =
      rowsPerS >= 250_000 && (ex.maxRssMB ?? 0) <= 300 ? 'met' : 'MISSED (>= 250k rows/s within 300 MB)';
  }
  printTable(`Query layer (${events.toLocaleString('en-US')} events, ${STORE_DAYS} days)`, rows);
  return rows;
}
