import { z } from 'zod';
import { ACTIVITY_CLASSES, type ActivityClass, activityClassSchema } from './schema';

/**
 * Row schemas per read. Engines hand back JSON-safe cells: DuckDB gives BIGINT and TIMESTAMP as
 * text, Athena gives every cell as text, so numbers, booleans and timestamps are coerced here.
 * Timestamps come out as ISO-8601 UTC with microseconds ('2026-01-02T03:04:05.123456Z').
 */

const TIMESTAMP_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

/** Engine timestamp text → 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (null when it is not a timestamp). */
export function normaliseTimestamp(text: string): string | null {
  const m = TIMESTAMP_TEXT.exec(text.trim());
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const offsetMinutes = parseOffset(zone);
  const ms =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetMinutes * 60_000;
  if (Number.isNaN(ms)) return null;
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac.padEnd(6, '0').slice(0, 6)}Z`;
}

function parseOffset(zone: string): number {
  if (zone === 'Z' || zone === 'UTC') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}

/** ISO instant → the text both engines cast to TIMESTAMP ('YYYY-MM-DD HH:MM:SS.ffffff', UTC). */
export function toSqlTimestamp(iso: string): string {
  const normalised = normaliseTimestamp(iso);
  if (normalised === null) throw new Error('not a timestamp');
  return normalised.replace('T', ' ').slice(0, -1);
}

export const timestampCell = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const out = normaliseTimestamp(typeof v === 'string' ? v : v.toISOString());
  if (out === null) {
    ctx.addIssue({ code: 'custom', message: 'not a timestamp' });
    return z.NEVER;
  }
  return out;
});

export const numberCell = z.union([z.number(), z.bigint(), z.string()]).transform((v, ctx) => {
  const n = Number(v);
  if ((typeof v === 'string' && v.trim() === '') || !Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: 'not a number' });
    return z.NEVER;
  }
  return n;
});

export const booleanCell = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((v) => v === true || v === 'true');

/** A date partition value: DuckDB gives a DATE ('2026-01-02'), Athena the projected string. */
export const dayCell = z
  .union([z.string(), z.date()])
  .transform((v) => (typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10)))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/));

const text = z.string();
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);

/** A row of the event list (no full text: a preview, and its full length). */
export const listRowSchema = z.object({
  event_id: text,
  event_time: timestampCell,
  class: activityClassSchema,
  engine: text,
  resource_id: text,
  db_user: text,
  database_name: text,
  object_type: nullable(text),
  object_name: nullable(text),
  command: text,
  failed: booleanCell,
  is_aux: booleanCell,
  row_count: nullable(numberCell),
  remote_host: nullable(text),
  client_application: nullable(text),
  session_id: nullable(text),
  text_preview: nullable(text),
  text_length: nullable(numberCell),
});
export type ListRow = z.infer<typeof listRowSchema>;

/** Every stored column plus the partitions: one event's detail and the export. */
export const eventRowSchema = z.object({
  event_id: text,
  event_time: timestampCell,
  log_time: timestampCell,
  end_time: nullable(timestampCell),
  engine: text,
  resource_id: text,
  cluster_id: text,
  instance_id: text,
  server_host: text,
  server_version: text,
  db_user: text,
  database_name: text,
  object_type: nullable(text),
  object_name: nullable(text),
  command: text,
  command_text: nullable(text),
  param_list: nullable(text),
  row_count: nullable(numberCell),
  exit_code: nullable(text),
  error_message: nullable(text),
  failed: booleanCell,
  session_id: nullable(text),
  statement_id: nullable(text),
  transaction_id: nullable(text),
  substatement_id: nullable(numberCell),
  pid: nullable(numberCell),
  is_aux: booleanCell,
  remote_host: nullable(text),
  remote_port: nullable(text),
  client_application: nullable(text),
  net_protocol: nullable(text),
  db_protocol: nullable(text),
  das_class: text,
  das_version: text,
  /** null when the reader's text rights are masked (the original JSON holds every literal). */
  raw: nullable(text),
  ingested_at: timestampCell,
  class: activityClassSchema,
  dt: dayCell,
});
export type EventRow = z.infer<typeof eventRowSchema>;

/** A bucket of the counts read: `c<i>` counts class ACTIVITY_CLASSES[i]. */
export const countRowSchema = z.object({
  bucket: timestampCell,
  ...Object.fromEntries(ACTIVITY_CLASSES.map((_, i) => [`c${i}`, numberCell] as const)),
});

/** The classes of a counts row with their counts, zeros left out. */
export function classCounts(row: Record<string, unknown>): [ActivityClass, number][] {
  return ACTIVITY_CLASSES.flatMap((c, i) => {
    const n = row[`c${i}`];
    return typeof n === 'number' && n > 0 ? [[c, n] as [ActivityClass, number]] : [];
  });
}
export const topRowSchema = z.object({ value: text, n: numberCell, failed: numberCell });
export const bucketRowSchema = z.object({ bucket: timestampCell, n: numberCell });

export const ddlRowSchema = z.object({
  event_id: text,
  event_time: timestampCell,
  class: activityClassSchema,
  engine: text,
  resource_id: text,
  database_name: text,
  object_type: nullable(text),
  object_name: nullable(text),
  db_user: text,
  remote_host: nullable(text),
  client_application: nullable(text),
  command: text,
  command_text: nullable(text),
  failed: booleanCell,
  error_message: nullable(text),
});
export type DdlRow = z.infer<typeof ddlRowSchema>;

export const sessionSummaryRowSchema = z.object({
  events: numberCell,
  first_time: nullable(timestampCell),
  last_time: nullable(timestampCell),
  connect_time: nullable(timestampCell),
  disconnect_time: nullable(timestampCell),
  total_rows: nullable(numberCell),
  failed: numberCell,
});

export const authSourceRowSchema = z.object({
  db_user: text,
  remote_host: nullable(text),
  n: numberCell,
  first_time: timestampCell,
  last_time: timestampCell,
});

export const overviewRowSchema = z.object({
  events: numberCell,
  ddl: numberCell,
  dcl: numberCell,
  failed: numberCell,
  errors: numberCell,
  auth_failures: numberCell,
  distinct_users: numberCell,
});
export type OverviewRow = z.infer<typeof overviewRowSchema>;
