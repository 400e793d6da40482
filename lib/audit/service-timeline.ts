import 'server-only';
import { z } from 'zod';
import { parseActivityRequest } from './activity-request';
import { type AccessPrincipal, type EffectiveGrant, hasFullText, isVisible, resolveGrant } from './grants';
import { maskDdlRow } from './masking';
import {
  buildDdlTimelineQuery,
  buildSessionConnectsQuery,
  buildSessionEventsQuery,
  buildSessionSummaryQuery,
  type SessionKey,
} from './queries';
import {
  type ActivityQuery,
  type ActivityQueryInput,
  instantSchema,
  type Sort,
  type TimeRange,
} from './query-model';
import { type DdlRow, ddlRowSchema, listRowSchema, sessionSummaryRowSchema, timestampCell } from './rows';
import {
  type CallOptions,
  describeQuery,
  type EventSummary,
  logAccess,
  paginate,
  parseQuery,
  type RunStats,
  runRows,
  type ServiceContext,
  summarise,
} from './service-context';

export type DdlEntry = DdlRow & { text_masked: boolean };

export interface DdlTimeline {
  entries: DdlEntry[];
  nextCursor: string | null;
}

/** DDL changes (who, when, from where, the statement), newest first; filter with object:/user:/db:. */
export async function ddlTimeline(
  ctx: ServiceContext,
  principal: AccessPrincipal,
  input: ActivityQueryInput,
  options: CallOptions = {},
): Promise<DdlTimeline> {
  const query: ActivityQuery = parseQuery(input);
  const grant = resolveGrant(principal, query.filters, { onlyClasses: ['DDL'] });
  const stats: RunStats = { rows: 0, bytesScanned: null };
  let result: DdlTimeline = { entries: [], nextCursor: null };
  if (grant !== null) {
    const sort: Sort = {
      column: 'event_time',
      direction: query.sort.column === 'event_time' ? query.sort.direction : 'desc',
    };
    const rows = await runRows(
      ctx,
      buildDdlTimelineQuery(ctx.engine.dialect, query, grant),
      ddlRowSchema,
      stats,
      options,
    );
    const { page, next } = paginate(rows, query.limit, sort);
    const entries = page.filter((r) => isVisible(grant, r)).map((r) => maskDdlRow(r, hasFullText(grant, r)));
    result = { entries, nextCursor: next };
  }
  stats.rows = result.entries.length;
  await logAccess(ctx, principal, 'ddl-timeline', describeQuery(query), stats, options);
  return result;
}

export interface ObjectHistory {
  resourceId: string;
  database: string;
  object: string | null;
  changes: DdlEntry[];
}

/** Groups timeline entries per object (resource, database, object), keeping their order. */
export function groupByObject(entries: readonly DdlEntry[]): ObjectHistory[] {
  const groups = new Map<string, ObjectHistory>();
  for (const e of entries) {
    const key = JSON.stringify([e.resource_id, e.database_name, e.object_name]);
    const group = groups.get(key) ?? {
      resourceId: e.resource_id,
      database: e.database_name,
      object: e.object_name,
      changes: [],
    };
    group.changes.push(e);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export const sessionLookupSchema = z
  .object({
    sessionId: z.string().min(1).max(256),
    resourceId: z.string().min(1).max(256).optional(),
    from: instantSchema.optional(),
    to: instantSchema.optional(),
    /** The time of an event of the session: picks one use of an id the engine reused. */
    at: instantSchema.optional(),
  })
  .strict();
export type SessionLookup = z.input<typeof sessionLookupSchema>;

export interface SessionView {
  sessionId: string;
  resourceId: string | null;
  /** Connect → statements → disconnect, oldest first (the events the grant shows). */
  events: EventSummary[];
  /** More than SESSION_LIMIT events matched; the summary still counts all of them. */
  truncated: boolean;
  /** The span shown: the lookup's range, or one use of a reused id (its connect to the next). */
  range: TimeRange;
  /** Connect times of the id in the lookup's range (the grant's CONNECT events); > 1 = reused. */
  connects: string[];
  summary: {
    events: number;
    firstTime: string | null;
    lastTime: string | null;
    connectTime: string | null;
    disconnectTime: string | null;
    /** disconnect (or last event) minus connect (or first event) */
    durationMs: number | null;
    totalRows: number | null;
    failed: number;
  };
}

export const SESSION_LIMIT = 1000;

export async function getSession(
  ctx: ServiceContext,
  principal: AccessPrincipal,
  input: SessionLookup,
  options: CallOptions = {},
): Promise<SessionView> {
  const lookup = sessionLookupSchema.parse(input);
  const asked = parseActivityRequest({ from: lookup.from, to: lookup.to }, ctx.now()).range;
  const grant = resolveGrant(principal, {});
  const stats: RunStats = { rows: 0, bytesScanned: null };
  const key = { sessionId: lookup.sessionId, resourceId: lookup.resourceId };
  const d = ctx.engine.dialect;
  const connects = await findConnects(ctx, principal, grant, key, asked, stats, options);
  const range = oneUse(asked, connects, lookup.at);
  const [rows, summaries] =
    grant === null
      ? [[], []]
      : await Promise.all([
          runRows(
            ctx,
            buildSessionEventsQuery(d, key, range, grant, SESSION_LIMIT),
            listRowSchema,
            stats,
            options,
          ),
          runRows(
            ctx,
            buildSessionSummaryQuery(d, key, range, grant),
            sessionSummaryRowSchema,
            stats,
            options,
          ),
        ]);
  const events = grant === null ? [] : summarise(rows.slice(0, SESSION_LIMIT), grant);
  const s = summaries[0];
  const start = s?.connect_time ?? s?.first_time ?? null;
  const end = s?.disconnect_time ?? s?.last_time ?? null;
  stats.rows = events.length;
  await logAccess(
    ctx,
    principal,
    'session',
    { sessionId: lookup.sessionId, resourceId: lookup.resourceId ?? null, ...range, at: lookup.at ?? null },
    stats,
    options,
  );
  return {
    sessionId: lookup.sessionId,
    resourceId: lookup.resourceId ?? null,
    events,
    truncated: rows.length > SESSION_LIMIT,
    range,
    connects,
    summary: {
      events: s?.events ?? 0,
      firstTime: s?.first_time ?? null,
      lastTime: s?.last_time ?? null,
      connectTime: s?.connect_time ?? null,
      disconnectTime: s?.disconnect_time ?? null,
      durationMs: start === null || end === null ? null : Math.round(Date.parse(end) - Date.parse(start)),
      totalRows: s?.total_rows ?? null,
      failed: s?.failed ?? 0,
    },
  };
}

const CONNECTS_LIMIT = 200;
const connectRowSchema = z.object({ event_time: timestampCell });

/** The id's connects the principal may see (none when no role shows CONNECT). */
async function findConnects(
  ctx: ServiceContext,
  principal: AccessPrincipal,
  shown: EffectiveGrant | null,
  key: SessionKey,
  range: TimeRange,
  stats: RunStats,
  options: CallOptions,
): Promise<string[]> {
  if (shown === null || !shown.classes.includes('CONNECT')) return [];
  const grant = resolveGrant(principal, {}, { onlyClasses: ['CONNECT'] });
  if (grant === null) return [];
  const q = buildSessionConnectsQuery(ctx.engine.dialect, key, range, grant, CONNECTS_LIMIT);
  return (await runRows(ctx, q, connectRowSchema, stats, options)).map((r) => r.event_time);
}

/**
 * Engines reuse session ids (SQL Server's SPIDs): with several connects in range, the session is
 * the use holding `at` (the latest use without it): its connect up to the next connect.
 */
export function oneUse(range: TimeRange, connects: readonly string[], at: string | undefined): TimeRange {
  if (connects.length < 2) return range;
  const anchor = at === undefined ? Number.POSITIVE_INFINITY : Date.parse(at);
  const i = connects.findLastIndex((t) => Date.parse(t) <= anchor);
  const first = connects[0];
  if (i < 0) return first === undefined ? range : { from: range.from, to: first };
  const from = connects[i] ?? range.from;
  return { from, to: connects[i + 1] ?? range.to };
}
