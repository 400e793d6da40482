import { z } from 'zod';
import { ddlRowSchema, eventRowSchema, listRowSchema } from '../audit/rows';
import { activityClassSchema } from '../audit/schema';
import { fetchJson } from './fetch-json';

/**
 * Typed fetchers for the dashboard's JSON API. Every body is parsed by a zod schema here, so
 * components only ever see checked data. Pure of server code: safe in the browser bundle.
 */

export interface RangeParams {
  readonly q: string;
  readonly from: string;
  readonly to: string;
}
export interface ListParams extends RangeParams {
  readonly sort: string;
  readonly limit: number;
}

export const eventSummarySchema = listRowSchema.extend({ text_masked: z.boolean().default(false) });
export type EventSummary = z.infer<typeof eventSummarySchema>;

// H8's contract says `rows`; the service's EventPage says `events`: accept either.
const eventPageSchema = z
  .object({
    rows: z.array(eventSummarySchema).optional(),
    events: z.array(eventSummarySchema).optional(),
    nextCursor: z.string().nullable().default(null),
  })
  .transform((p) => ({ rows: p.rows ?? p.events ?? [], nextCursor: p.nextCursor }));
export type EventPage = z.infer<typeof eventPageSchema>;

export const eventDetailSchema = z.object({
  event: eventRowSchema.extend({ text_masked: z.boolean().default(false) }),
  companions: z.array(eventSummarySchema).default([]),
});
export type EventDetail = z.infer<typeof eventDetailSchema>;

export const overviewSchema = z.object({
  events: z.number(),
  ddl: z.number(),
  dcl: z.number(),
  failed: z.number(),
  errors: z.number(),
  authFailures: z.number(),
  distinctUsers: z.number(),
});
export type OverviewStats = z.infer<typeof overviewSchema>;

export const countsSchema = z.object({
  grain: z.string(),
  buckets: z.array(
    z.object({
      start: z.string(),
      total: z.number(),
      counts: z.partialRecord(activityClassSchema, z.number()),
    }),
  ),
});
export type Counts = z.infer<typeof countsSchema>;

export const TOP_DIMENSIONS = ['user', 'database', 'object', 'host'] as const;
export type TopDimension = (typeof TOP_DIMENSIONS)[number];
export const topSchema = z.object({
  dimension: z.string(),
  values: z.array(z.object({ value: z.string(), count: z.number(), failed: z.number() })),
});
export type TopList = z.infer<typeof topSchema>;

export const authFailuresSchema = z.object({
  grain: z.string(),
  bySource: z.array(
    z.object({
      user: z.string(),
      host: z.string().nullable(),
      count: z.number(),
      firstTime: z.string(),
      lastTime: z.string(),
    }),
  ),
  overTime: z.array(z.object({ start: z.string(), count: z.number() })),
});
export type AuthFailureStats = z.infer<typeof authFailuresSchema>;

export const ddlEntrySchema = ddlRowSchema.extend({ text_masked: z.boolean().default(false) });
export type DdlEntry = z.infer<typeof ddlEntrySchema>;
const ddlPageSchema = z.object({
  entries: z.array(ddlEntrySchema),
  nextCursor: z.string().nullable().default(null),
});
export type DdlPage = z.infer<typeof ddlPageSchema>;

export const sessionViewSchema = z.object({
  sessionId: z.string(),
  resourceId: z.string().nullable(),
  events: z.array(eventSummarySchema),
  truncated: z.boolean(),
  summary: z.object({
    events: z.number(),
    firstTime: z.string().nullable(),
    lastTime: z.string().nullable(),
    connectTime: z.string().nullable(),
    disconnectTime: z.string().nullable(),
    durationMs: z.number().nullable(),
    totalRows: z.number().nullable(),
    failed: z.number(),
  }),
  range: z.object({ from: z.string(), to: z.string() }),
  connects: z.array(z.string()),
});
export type SessionView = z.infer<typeof sessionViewSchema>;
export interface SessionParams {
  readonly session: string;
  readonly resource: string;
  readonly from: string;
  readonly to: string;
  /** an event's time: which use of a reused session id */
  readonly at?: string | undefined;
}

export const accessLogSchema = z.object({
  entries: z.array(
    z.object({
      at: z.string(),
      user: z.string(),
      roles: z.array(z.string()),
      action: z.string(),
      query: z.unknown(),
      rows: z.number(),
      bytesScanned: z.number().nullable(),
      requestId: z.string().nullable(),
    }),
  ),
});
export type AccessLogPage = z.infer<typeof accessLogSchema>;

// Accept { values: [...] } of strings or { value } objects, or a bare array.
const suggestItem = z.union([z.string(), z.object({ value: z.string() }).transform((v) => v.value)]);
const suggestSchema = z
  .union([z.array(suggestItem), z.object({ values: z.array(suggestItem) }).transform((v) => v.values)])
  .transform((values) => values.slice(0, 20));

export const manifestSchema = z
  .object({
    rowCount: z.number(),
    bytes: z.number(),
    sha256: z.string(),
    complete: z.boolean(),
    format: z.string(),
    startedAt: z.string(),
    finishedAt: z.string(),
  })
  .loose();

/** `?a=b&…` from defined, non-empty values. */
export function toQueryString(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

const get =
  <T>(path: string, params: Record<string, string | number | undefined>, schema: z.ZodType<T>) =>
  (signal?: AbortSignal) =>
    fetchJson(`${path}${toQueryString(params)}`, schema, signal ? { signal } : {});

export const api = {
  listEvents: (p: ListParams, cursor: string | undefined) =>
    get('/api/activity', { ...p, cursor }, eventPageSchema),
  getEvent: (id: string, at: string | undefined) =>
    get(`/api/activity/${encodeURIComponent(id)}`, { at }, eventDetailSchema),
  overview: (p: RangeParams) => get('/api/stats/overview', { ...p }, overviewSchema),
  counts: (p: RangeParams) => get('/api/stats/counts', { ...p }, countsSchema),
  top: (p: RangeParams, dimension: TopDimension) => get('/api/stats/top', { ...p, dimension }, topSchema),
  authFailures: (p: RangeParams) => get('/api/stats/auth-failures', { ...p }, authFailuresSchema),
  ddlTimeline: (p: RangeParams, cursor: string | undefined) =>
    get('/api/ddl-timeline', { ...p, cursor }, ddlPageSchema),
  session: (p: SessionParams) =>
    get(
      '/api/sessions',
      { sessionId: p.session, resourceId: p.resource, from: p.from, to: p.to, at: p.at },
      sessionViewSchema,
    ),
  accessLog: (p: { from: string; to: string }) => get('/api/access-log', { ...p }, accessLogSchema),
  suggest: (field: string, prefix: string) => get('/api/suggest', { field, prefix }, suggestSchema),
  manifest: (exportId: string) =>
    get(`/api/export/${encodeURIComponent(exportId)}/manifest`, {}, manifestSchema),
};

/**
 * The export URL (streamed by the browser, not parsed as JSON). `allColumns` adds `raw`, the
 * original event JSON, that a CSV leaves out by default.
 */
export function exportUrl(p: RangeParams, format: 'csv' | 'ndjson', allColumns = false): string {
  return `/api/export${toQueryString({ format, ...p, ...(allColumns ? { columns: 'all' } : {}) })}`;
}
