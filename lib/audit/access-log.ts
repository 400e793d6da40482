import { randomUUID } from 'node:crypto';
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer, type SchemaElement } from 'hyparquet-writer';
import { z } from 'zod';
import type { ObjectStore } from '../store/types';
import { STORE_PREFIX } from './schema';

/**
 * Who viewed or exported what: one small Parquet file per entry under
 * `access-log/dt=<YYYY-MM-DD>/`, written through the ObjectStore port (folder or S3), so Athena
 * can query the same files. Entries never contain statement text, only the request's filters.
 */

export const ACCESS_ACTIONS = [
  'search',
  'view',
  'session',
  'ddl-timeline',
  'stats',
  'auth-failures',
  'export',
  'access-log',
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export interface AccessLogEntry {
  /** ISO-8601 UTC */
  readonly at: string;
  readonly user: string;
  readonly roles: readonly string[];
  readonly action: AccessAction;
  /** The request (filters, range, ids, export manifest): JSON-serialisable, no statement text. */
  readonly query: unknown;
  readonly rows: number;
  readonly bytesScanned: number | null;
  readonly requestId: string | null;
}

const TIMESTAMP_MICROS = {
  type: 'INT64',
  converted_type: 'TIMESTAMP_MICROS',
  logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
} as const;
const STRING = { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } } as const;

export const ACCESS_LOG_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 8 },
  { name: 'at', repetition_type: 'REQUIRED', ...TIMESTAMP_MICROS },
  { name: 'user', repetition_type: 'REQUIRED', ...STRING },
  { name: 'roles', repetition_type: 'REQUIRED', ...STRING },
  { name: 'action', repetition_type: 'REQUIRED', ...STRING },
  { name: 'query', repetition_type: 'REQUIRED', ...STRING },
  { name: 'rows', repetition_type: 'REQUIRED', type: 'INT64' },
  { name: 'bytes_scanned', repetition_type: 'OPTIONAL', type: 'INT64' },
  { name: 'request_id', repetition_type: 'OPTIONAL', ...STRING },
];

export function encodeAccessLogEntry(entry: AccessLogEntry): Uint8Array {
  const micros = BigInt(Date.parse(entry.at)) * 1000n;
  const buffer = parquetWriteBuffer({
    schema: ACCESS_LOG_SCHEMA,
    columnData: [
      { name: 'at', data: [micros] },
      { name: 'user', data: [entry.user] },
      { name: 'roles', data: [JSON.stringify(entry.roles)] },
      { name: 'action', data: [entry.action] },
      { name: 'query', data: [JSON.stringify(entry.query ?? null)] },
      { name: 'rows', data: [BigInt(Math.trunc(entry.rows))] },
      {
        name: 'bytes_scanned',
        data: [entry.bytesScanned === null ? null : BigInt(Math.trunc(entry.bytesScanned))],
      },
      { name: 'request_id', data: [entry.requestId] },
    ],
  });
  return new Uint8Array(buffer);
}

const bigintish = z.union([z.bigint(), z.number()]).transform(Number);
const jsonText = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
});

const storedEntrySchema = z.object({
  at: z
    .union([z.date(), z.bigint()])
    .transform((v) => (v instanceof Date ? v : new Date(Number(v / 1000n))).toISOString()),
  user: z.string(),
  roles: jsonText.pipe(z.array(z.string())),
  action: z.enum(ACCESS_ACTIONS),
  query: jsonText,
  rows: bigintish,
  bytes_scanned: bigintish.nullable(),
  request_id: z.string().nullable(),
});

export async function decodeAccessLogFile(bytes: Uint8Array): Promise<AccessLogEntry[]> {
  const rows = await parquetReadObjects({ file: new Uint8Array(bytes).buffer });
  return rows.map((row) => {
    const e = storedEntrySchema.parse(row);
    return {
      at: e.at,
      user: e.user,
      roles: e.roles,
      action: e.action,
      query: e.query,
      rows: e.rows,
      bytesScanned: e.bytes_scanned,
      requestId: e.request_id,
    };
  });
}

function dayKeys(fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  for (let t = Math.floor(fromMs / 86_400_000) * 86_400_000; t < toMs; t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

export class AccessLog {
  constructor(private readonly store: ObjectStore) {}

  /** Writes one entry as its own object (no read-modify-write, so concurrent writers never clash). */
  async append(entry: AccessLogEntry): Promise<string> {
    const stamp = entry.at.replace(/[-:]/g, '').replace('.', '');
    const key = `${STORE_PREFIX.accessLog}dt=${entry.at.slice(0, 10)}/${stamp}-${randomUUID()}.parquet`;
    await this.store.put(key, encodeAccessLogEntry(entry), 'application/vnd.apache.parquet');
    return key;
  }

  /** Entries with from <= at < to, newest first, at most `limit`. */
  async read(range: { from: string; to: string }, limit: number): Promise<AccessLogEntry[]> {
    const fromMs = Date.parse(range.from);
    const toMs = Date.parse(range.to);
    const entries: AccessLogEntry[] = [];
    // Newest day first, stopping once `limit` entries are in hand from complete days.
    for (const day of dayKeys(fromMs, toMs).reverse()) {
      for await (const object of this.store.list(`${STORE_PREFIX.accessLog}dt=${day}/`)) {
        const bytes = await this.store.get(object.key);
        if (bytes === null) continue;
        const inRange = (await decodeAccessLogFile(bytes)).filter((e) => {
          const t = Date.parse(e.at);
          return t >= fromMs && t < toMs;
        });
        entries.push(...inRange);
      }
      if (entries.length >= limit) break;
    }
    return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
  }
}
