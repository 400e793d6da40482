/**
 * Child process of the query benchmark: one CSV export through the AuditService, body drained,
 * rows/s and the process's peak RSS (a process of its own, so nothing else inflates the peak).
 *   node --import tsx bench/query-export.ts <storeRoot> <nowIso> <days> [default|all]
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

register('../bin/server-only-hook.mjs', import.meta.url);
const { AccessLog } = await import('../lib/audit/access-log');
const { AuditService } = await import('../lib/audit/service');
const { DuckdbEngine } = await import('../lib/query/duckdb');
const { LocalStore } = await import('../lib/store/local');
const { parseActivityRequest } = await import('../lib/audit/activity-request');
const { benchPrincipal } = await import('./query-reads');

const { buildCsvExportQuery } = await import('../lib/audit/queries');
const { resolveGrant } = await import('../lib/audit/grants');
const { RawDuckdb } = await import('./query-raw');

const { CSV_DEFAULT_COLUMNS } = await import('../lib/audit/export');
const { EXPORT_COLUMNS } = await import('../lib/audit/queries');

const [storeRoot = '', nowIso = '', days = '15', which = 'default'] = process.argv.slice(2);
const columns = which === 'all' ? EXPORT_COLUMNS : CSV_DEFAULT_COLUMNS;
const now = new Date(nowIso);
const logDir = mkdtempSync(join(tmpdir(), 'dasboard-bench-export-'));
const engine = new DuckdbEngine({ storeRoot: resolve(storeRoot) });
const service = new AuditService({
  engine,
  accessLog: new AccessLog(new LocalStore(logDir)),
  now: () => now,
  // Knob for trying window sizes (rows per keyed COPY); the service's default otherwise.
  ...(process.env.BENCH_EXPORT_WINDOW_ROWS
    ? { exportWindowRows: Number(process.env.BENCH_EXPORT_WINDOW_ROWS) }
    : {}),
});
const from = new Date(now.getTime() - Number(days) * 86_400_000).toISOString();
const baseRss = process.resourceUsage().maxRSS;
const t = performance.now();
const handle = await service.exportEvents(benchPrincipal(), {
  query: parseActivityRequest({ from, to: now.toISOString() }, now),
  format: 'csv',
  columns: [...columns],
});
let bytes = 0;
const reader = handle.body.getReader();
for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
const manifest = await handle.manifest;
const seconds = (performance.now() - t) / 1000;
const maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
const rawSeconds = await rawCopySeconds();
await engine.close();
rmSync(logDir, { recursive: true, force: true });
/**
 * The baseline, after the export's peak is read: the same cells written by one plain DuckDB
 * `COPY` over the whole range, unsorted (the engine's own floor for this CSV), to a temp file.
 * The export sorts (a merge of the files' runs) and streams; the baseline does neither.
 */
async function rawCopySeconds(): Promise<number> {
  const query = parseActivityRequest({ from, to: now.toISOString() }, now);
  const grant = resolveGrant(benchPrincipal(), query.filters, { purpose: 'export' });
  if (grant === null) throw new Error('no grant');
  const q = buildCsvExportQuery(engine.dialect, query, grant, columns, 'sorted');
  const unsorted = { ...q, text: q.text.replace(/ ORDER BY event_time ASC, event_id ASC$/, '') };
  const file = join(logDir, 'raw.csv');
  const raw = await RawDuckdb.open(1);
  try {
    // The engine's fastest plain COPY: rows in any order, as the export's own keyed COPY runs.
    await raw.run({ text: 'SET preserve_insertion_order = false', params: [], label: 'bench.setting' });
    const began = performance.now();
    const options = "FORMAT csv, HEADER false, NEW_LINE '\r\n'";
    await raw.run({ ...unsorted, text: `COPY (${unsorted.text}) TO '${file}' (${options})` });
    return (performance.now() - began) / 1000;
  } finally {
    raw.close();
  }
}

process.stdout.write(
  `${JSON.stringify({
    rows: manifest.rowCount,
    bytes,
    seconds,
    maxRssMB,
    rawSeconds,
    baseRssMB: Math.round(baseRss / 1024),
  })}\n`,
);
