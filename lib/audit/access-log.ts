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
  return encodeAccessLogEntries([entry]);
}

/** Several entries as one file (a group commit). */
export function encodeAccessLogEntries(entries: readonly AccessLogEntry[]): Uint8Array {
  const column = <T>(name: string, value: (e: AccessLogEntry) => T) => ({ name, data: entries.map(value) });
  const int64 = (n: number) => BigInt(Math.trunc(n));
  const buffer = parquetWriteBuffer({
    schema: ACCESS_LOG_SCHEMA,
    // A few entries a file, read whole: statistics would cost half the encoding and skip nothing.
    statistics: false,
    columnData: [
      column('at', (e) => BigInt(Date.parse(e.at)) * 1000n),
      column('user', (e) => e.user),
      column('roles', (e) => JSON.stringify(e.roles)),
      column('action', (e) => e.action),
      column('query', (e) => JSON.stringify(e.query ?? null)),
      column('rows', (e) => int64(e.rows)),
      column('bytes_scanned', (e) => (e.bytesScanned === null ? null : int64(e.bytesScanned))),
      column('request_id', (e) => e.requestId),
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

/** Entries of one `dt` partition together, in arrival order. */
function groupByDay(batch: readonly PendingEntry[]): PendingEntry[][] {
  const days = new Map<string, PendingEntry[]>();
  for (const p of batch) {
    const day = p.entry.at.slice(0, 10);
    const group = days.get(day);
    if (group === undefined) days.set(day, [p]);
    else group.push(p);
  }
  return [...days.values()];
}

function dayKeys(fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  for (let t = Math.floor(fromMs / 86_400_000) * 86_400_000; t < toMs; t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

interface PendingEntry {
  readonly entry: AccessLogEntry;
  readonly resolve: (key: string) => void;
  readonly reject: (err: unknown) => void;
}

export class AccessLog {
  private queue: PendingEntry[] = [];
  private writing: Promise<void> | null = null;

  constructor(private readonly store: ObjectStore) {}

  /**
   * Resolves once the entry is stored (a request is answered only after its entry is written).
   * Entries that arrive while a write is in flight share the next object (group commit), so a
   * page's concurrent reads cost one write, not one each; no read-modify-write, so concurrent
   * writers never clash.
   */
  append(entry: AccessLogEntry): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0);
        for (const group of groupByDay(batch)) await this.write(group);
      }
    } finally {
      this.writing = null;
    }
  }

  private async write(group: readonly PendingEntry[]): Promise<void> {
    const first = group[0]?.entry;
    if (first === undefined) return;
    const stamp = first.at.replace(/[-:]/g, '').replace('.', '');
    const key = `${STORE_PREFIX.accessLog}dt=${first.at.slice(0, 10)}/${stamp}-${randomUUID()}.parquet`;
    try {
      const body = encodeAccessLogEntries(group.map((p) => p.entry));
      // Stored and readable before the answer goes out (a crash of the process cannot lose it),
      // forced to disk right after rather than before: two fsyncs were most of a search's
      // overhead on a laptop's store (README, Benchmarks); S3 is durable on every PUT anyway.
      await this.store.put(key, body, 'application/vnd.apache.parquet', { durability: 'deferred' });
      for (const p of group) p.resolve(key);
    } catch (err) {
      for (const p of group) p.reject(err);
    }
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
