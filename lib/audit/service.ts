import 'server-only';
import { z } from 'zod';
import { NotFoundError } from '../http/errors';
import type { QueryEngine } from '../query/engine';
import type { AccessLog } from './access-log';
import { type ExportHandle, type ExportInput, exportEvents } from './export';
import { type AccessPrincipal, type EffectiveGrant, hasFullText, isVisible, resolveGrant } from './grants';
import { maskEventRow } from './masking';
import { buildCompanionsQuery, buildEventQuery, buildListQuery } from './queries';
import { type ActivityQueryInput, instantSchema, MAX_RANGE_DAYS } from './query-model';
import { type EventRow, eventRowSchema, listRowSchema } from './rows';
import { type AccessLogPage, type AccessLogQuery, readAccessLog } from './service-access-log';
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
import {
  type AuthFailures,
  authFailures,
  type CountsOverTime,
  countsOverTime,
  type Overview,
  overview,
  type TopValues,
  type TopValuesInput,
  topValues,
} from './service-stats';
import {
  type DdlTimeline,
  ddlTimeline,
  getSession,
  type SessionLookup,
  type SessionView,
} from './service-timeline';

/**
 * The reads. Each takes (principal, request), resolves the grant itself, parses rows with zod,
 * applies the text right per row and appends to the access log. Nothing reads events otherwise.
 */

export type { EventSummary } from './service-context';
export type EventDetail = EventRow & { text_masked: boolean };

export interface EventPage {
  events: EventSummary[];
  nextCursor: string | null;
}

const DAY_MS = 86_400_000;
const COMPANION_WINDOW_MS = 60_000;

export async function listEvents(
  ctx: ServiceContext,
  principal: AccessPrincipal,
  input: ActivityQueryInput,
  options: CallOptions = {},
): Promise<EventPage> {
  const query = parseQuery(input);
  const grant = resolveGrant(principal, query.filters);
  const stats: RunStats = { rows: 0, bytesScanned: null };
  let result: EventPage = { events: [], nextCursor: null };
  if (grant !== null) {
    const rows = await runRows(
      ctx,
      buildListQuery(ctx.engine.dialect, query, grant),
      listRowSchema,
      stats,
      options,
    );
    const { page, next } = paginate(rows, query.limit, query.sort);
    result = { events: summarise(page, grant), nextCursor: next };
  }
  stats.rows = result.events.length;
  await logAccess(ctx, principal, 'search', describeQuery(query), stats, options);
  return result;
}

export const eventLookupSchema = z
  .object({ id: z.string().min(1).max(256), at: instantSchema.optional() })
  .strict();
export type EventLookup = z.input<typeof eventLookupSchema>;

export interface EventView {
  event: EventDetail;
  /** Aurora MySQL MAIN/AUX companions (same resource, session and statement), oldest first. */
  companions: EventSummary[];
}

/** One event by id; hidden and missing look the same (404). `at` (the event's time) narrows the scan. */
export async function getEvent(
  ctx: ServiceContext,
  principal: AccessPrincipal,
  input: EventLookup,
  options: CallOptions = {},
): Promise<EventView> {
  const lookup = eventLookupSchema.parse(input);
  const grant = resolveGrant(principal, { aux: 'any' });
  const stats: RunStats = { rows: 0, bytesScanned: null };
  const anchor = lookup.at === undefined ? ctx.now().getTime() : Date.parse(lookup.at);
  const before = lookup.at === undefined ? (MAX_RANGE_DAYS - 1) * DAY_MS : DAY_MS;
  const range = {
    from: new Date(anchor - before).toISOString(),
    to: new Date(anchor + DAY_MS).toISOString(),
  };
  const rows =
    grant === null
      ? []
      : await runRows(
          ctx,
          buildEventQuery(ctx.engine.dialect, lookup.id, range, grant),
          eventRowSchema,
          stats,
          options,
        );
  const row = grant === null ? undefined : rows.find((r) => isVisible(grant, r));
  if (grant === null || row === undefined) {
    await logAccess(ctx, principal, 'view', { eventId: lookup.id }, stats, options);
    throw new NotFoundError('Event not found');
  }
  const companions = await findCompanions(ctx, grant, row, stats, options);
  stats.rows = 1 + companions.length;
  await logAccess(ctx, principal, 'view', { eventId: lookup.id }, stats, options);
  return { event: maskEventRow(row, hasFullText(grant, row)), companions };
}

async function findCompanions(
  ctx: ServiceContext,
  grant: EffectiveGrant,
  row: EventRow,
  stats: RunStats,
  options: CallOptions,
): Promise<EventSummary[]> {
  if (row.engine !== 'mysql' || row.session_id === null || row.statement_id === null) return [];
  const t = Date.parse(row.event_time);
  const window = {
    from: new Date(t - COMPANION_WINDOW_MS).toISOString(),
    to: new Date(t + COMPANION_WINDOW_MS).toISOString(),
  };
  const anchor = {
    eventId: row.event_id,
    resourceId: row.resource_id,
    sessionId: row.session_id,
    statementId: row.statement_id,
  };
  const q = buildCompanionsQuery(ctx.engine.dialect, anchor, window, grant);
  return summarise(await runRows(ctx, q, listRowSchema, stats, options), grant);
}

export interface AuditServiceDeps {
  readonly engine: QueryEngine;
  readonly accessLog: AccessLog;
  readonly now?: () => Date;
  readonly exportWindowRows?: number;
  readonly exportSliceRows?: number;
  readonly exportMaxRuns?: number;
}

/** The reads bound to an engine and an access log: what the API routes and the CLI call. */
export class AuditService {
  private readonly ctx: ServiceContext;

  constructor(deps: AuditServiceDeps) {
    this.ctx = {
      engine: deps.engine,
      accessLog: deps.accessLog,
      now: deps.now ?? (() => new Date()),
      ...(deps.exportWindowRows === undefined ? {} : { exportWindowRows: deps.exportWindowRows }),
      ...(deps.exportSliceRows === undefined ? {} : { exportSliceRows: deps.exportSliceRows }),
      ...(deps.exportMaxRuns === undefined ? {} : { exportMaxRuns: deps.exportMaxRuns }),
    };
  }

  listEvents(
    principal: AccessPrincipal,
    input: ActivityQueryInput,
    options?: CallOptions,
  ): Promise<EventPage> {
    return listEvents(this.ctx, principal, input, options);
  }
  getEvent(principal: AccessPrincipal, input: EventLookup, options?: CallOptions): Promise<EventView> {
    return getEvent(this.ctx, principal, input, options);
  }
  getSession(principal: AccessPrincipal, input: SessionLookup, options?: CallOptions): Promise<SessionView> {
    return getSession(this.ctx, principal, input, options);
  }
  ddlTimeline(
    principal: AccessPrincipal,
    input: ActivityQueryInput,
    options?: CallOptions,
  ): Promise<DdlTimeline> {
    return ddlTimeline(this.ctx, principal, input, options);
  }
  countsOverTime(
    principal: AccessPrincipal,
    input: ActivityQueryInput,
    options?: CallOptions,
  ): Promise<CountsOverTime> {
    return countsOverTime(this.ctx, principal, input, options);
  }
  topValues(principal: AccessPrincipal, input: TopValuesInput, options?: CallOptions): Promise<TopValues> {
    return topValues(this.ctx, principal, input, options);
  }
  authFailures(
    principal: AccessPrincipal,
    input: ActivityQueryInput,
    options?: CallOptions,
  ): Promise<AuthFailures> {
    return authFailures(this.ctx, principal, input, options);
  }
  overview(principal: AccessPrincipal, input: ActivityQueryInput, options?: CallOptions): Promise<Overview> {
    return overview(this.ctx, principal, input, options);
  }
  exportEvents(principal: AccessPrincipal, input: ExportInput, options?: CallOptions): Promise<ExportHandle> {
    return exportEvents(this.ctx, principal, input, options);
  }
  readAccessLog(
    principal: AccessPrincipal,
    input: AccessLogQuery,
    options?: CallOptions,
  ): Promise<AccessLogPage> {
    return readAccessLog(this.ctx, principal, input, options);
  }
}
