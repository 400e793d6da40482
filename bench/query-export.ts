/**
 * Child process of the query benchmark: one CSV export through the AuditService, body drained,
 * rows/s and the process's peak RSS (a process of its own, so nothing else inflates the peak).
 *   node --import tsx bench/query-export.ts <storeRoot> <nowIso> <days>
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

const [storeRoot = '', nowIso = '', days = '15'] = process.argv.slice(2);
const now = new Date(nowIso);
const logDir = mkdtempSync(join(tmpdir(), 'dasboard-bench-export-'));
const engine = new DuckdbEngine({ storeRoot: resolve(storeRoot) });
const service = new AuditService({
  engine,
  accessLog: new AccessLog(new LocalStore(logDir)),
  now: () => now,
});
const from = new Date(now.getTime() - Number(days) * 86_400_000).toISOString();
const baseRss = process.resourceUsage().maxRSS;
const t = performance.now();
const handle = await service.exportEvents(benchPrincipal(), {
  query: parseActivityRequest({ from, to: now.toISOString() }, now),
  format: 'csv',
});
let bytes = 0;
const reader = handle.body.getReader();
for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
const manifest = await handle.manifest;
const seconds = (performance.now() - t) / 1000;
await engine.close();
rmSync(logDir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    rows: manifest.rowCount,
    bytes,
    seconds,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    baseRssMB: Math.round(baseRss / 1024),
  })}\n`,
);
