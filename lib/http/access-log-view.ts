import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { ACCESS_ACTIONS, type AccessLogEntry } from '../audit/access-log';
import { neutraliseCell } from '../audit/export';
import { DEFAULT_RANGE_MS, instantSchema } from '../audit/query-model';

/**
 * The access-log API's parameters and its CSV form. The service reads by time; user and action
 * are filters over what it returns (it reads up to READ_CAP entries when a filter is given).
 */

export const READ_CAP = 1000;

export const accessLogRequestSchema = z
  .object({
    from: instantSchema.optional(),
    to: instantSchema.optional(),
    limit: z.coerce.number().int().min(1).max(READ_CAP).default(200),
    user: z.string().min(1).max(256).optional(),
    action: z.enum(ACCESS_ACTIONS).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
export type AccessLogRequest = z.infer<typeof accessLogRequestSchema>;

/** The service query: the range (default the last 24 hours) and how many entries to read. */
export function toServiceQuery(req: AccessLogRequest, now: Date = new Date()) {
  const to = req.to ?? now.toISOString();
  const from = req.from ?? new Date(Date.parse(to) - DEFAULT_RANGE_MS).toISOString();
  const filtered = req.user !== undefined || req.action !== undefined;
  return { from, to, limit: filtered ? READ_CAP : req.limit };
}

export function filterEntries(entries: readonly AccessLogEntry[], req: AccessLogRequest): AccessLogEntry[] {
  return entries
    .filter(
      (e) =>
        (req.user === undefined || e.user === req.user) &&
        (req.action === undefined || e.action === req.action),
    )
    .slice(0, req.limit);
}

export const ACCESS_LOG_CSV_COLUMNS = [
  'at',
  'user',
  'roles',
  'action',
  'query',
  'rows',
  'bytes_scanned',
  'request_id',
];

/** RFC 4180 CSV (CRLF), header = the access-log Parquet column names; formula-looking cells neutralised. */
export function accessLogCsv(entries: readonly AccessLogEntry[]): string {
  const rows = entries.map((e) => [
    e.at,
    neutraliseCell(e.user),
    JSON.stringify(e.roles),
    e.action,
    neutraliseCell(JSON.stringify(e.query ?? null)),
    String(e.rows),
    e.bytesScanned === null ? '' : String(e.bytesScanned),
    e.requestId ?? '',
  ]);
  return stringify([ACCESS_LOG_CSV_COLUMNS, ...rows], { record_delimiter: 'windows' });
}
