import 'server-only';
import { z } from 'zod';
import { TIME_GRAINS, type TimeGrain } from '../query/dialect';
import { type AccessPrincipal, resolveGrant } from './grants';
import {
  buildAuthBySourceQuery,
  buildBucketCountQuery,
  buildCountsQuery,
  buildOverviewQuery,
  buildTopQuery,
  TOP_DIMENSION_NAMES,
  type TopDimension,
} from './queries';
import type { ActivityQuery, ActivityQueryInput, TimeRange } from './query-model';
import {
  authSourceRowSchema,
  bucketRowSchema,
  classCounts,
  countRowSchema,
  overviewRowSchema,
  topRowSchema,
} from './rows';
import type { ActivityClass } from './schema';
import {
  type CallOptions,
  describeQuery,
  logAccess,
  parseQuery,
  type RunStats,
  runRows,
  type ServiceContext,
} from './service-context';

/** Aggregates for the overview and charts; the grant narrows them exactly as it narrows lists. */

const GRAIN_MS: Record<TimeGrain, number> = {
  minute: 60_000,
  '5 minutes': 300_000,
  '15 minutes': 900_000,
  hour: 3_600_000,
  '6 hours': 21_600_000,
  day: 86_400_000,
};
export const MAX_BUCKETS = 400;

/** The finest grain that keeps the range within MAX_BUCKETS buckets. */
export function chooseGrain(range: TimeRange): TimeGrain {
  const span = Date.parse(range.to) - Date.parse(range.from);
  return TIME_GRAINS.find((g) => span / GRAIN_MS[g] <= MAX_BUCKETS) ?? 'day';
}

/** Bucket starts covering the range (UTC-aligned, as both engines bucket). */
export function bucketStarts(range: TimeRange, grain: TimeGrain): number[] {
  const size = GRAIN_MS[grain];
  const starts: number[] = [];
  for (let t = Math.floor(Date.parse(range.from) / size) * size; t < Date.parse(range.to); t += size)
    starts.push(t);
  return starts;
}

export interface CountsOverTime {
  grain: TimeGrain;
  /** Dense: every bucket of the range, zero where nothing happened. */
  buckets: { start: string; total: number; counts: Partial<Record<ActivityClass, number>> }[];
}

const run = async (
  ctx: ServiceContext,
  principal: AccessPrincipal,
  query: ActivityQuery,
  stats: RunStats,
  options: CallOptions,
  extra: Record<string, unknown>,
) => logAccess(ctx, principal, 'stats', describeQuery(query, extra), stats, options);

export async function countsOverTime(
  ctx: ServiceContext,
  principal: AccessPrincipal,
  input: ActivityQueryInput,
  options: CallOptions = {},
): Promise<CountsOverTime> {
  const query = parseQuery(input);
  const grant = resolveGrant(principal, query.filters);
  const grain = chooseGrain(query.range);
  const stats: RunStats = { rows: 0, bytesScanned: null };
  const rows =
    grant === null
      ? []
      : await runRows(
          ctx,
          buildCountsQuery(ctx.engine.dialect, query, grant, grain),
          countRowSchema,
          stats,
          options,
        );
  const byStart = new Map<number, CountsOverTime['buckets'][number]>();
  const buckets = bucketStarts(query.range, grain).map((t) => {
    const bucket = { start: new Date(t).toISOString(), total: 0, counts: {} };
    byStart.set(t, bucket);
    return bucket;
  });
  let cells = 0;
  // One row per bucket (the query groups by bucket alone).
  for (const row of rows) {
    const bucket = byStart.get(Date.parse(row.bucket));
    if (bucket === undefined) continue;
    const counts = classCounts(row);
    bucket.counts = Object.fromEntries(counts);
    bucket.total = counts.reduce((sum, [, n]) => sum + n, 0);
    cells += counts.length;
  }
  stats.rows = cells;
  await run(ctx, principal, query, stats, options, { read: 'counts', grain });
  return { grain, buckets };
}

export const topValuesInputSchema = z.object({
  query: z.custom<ActivityQueryInput>(),
  dimension: z.enum(TOP_DIMENSION_NAMES),
  n: z.number().int().min(1).max(100).default(10),
});
export type TopValuesInput = z.input<typeof topValuesInputSchema>;
export interface TopValues {
  dimension: TopDimension;
  values: { value: string; count: number; failed: number }[];
}

export async function topValues(
  ctx: ServiceContext,
  principal: AccessPrincipal,
  input: TopValuesInput,
  options: CallOptions = {},
): Promise<TopValues> {
  const { dimension, n, query: raw } = topValuesInputSchema.parse(input);
  const query = parseQuery(raw);
  const grant = resolveGrant(principal, query.filters);
  const stats: RunStats = { rows: 0, bytesScanned: null };
  const rows =
    grant === null
      ? []
      : await runRows(
          ctx,
          buildTopQuery(ctx.engine.dialect, query, grant, dimension, n),
          topRowSchema,
          stats,
          options,
        );
  stats.rows = rows.length;
  await run(ctx, principal, query, stats, options, { read: 'top', dimension, n });
  return { dimension, values: rows.map((r) => ({ value: r.value, count: r.n, failed: r.failed })) };
}

export interface AuthFailures {
  grain: TimeGrain;
  bySource: { user: string; host: string | null; count: number; firstTime: string; lastTime: string }[];
  overTime: { start: string; count: number }[];
}

export async function authFailures(
  ctx: ServiceContext,
  principal: AccessPrincipal,
  input: ActivityQueryInput,
  options: CallOptions = {},
): Promise<AuthFailures> {
  const query = parseQuery(input);
  const grant = resolveGrant(principal, query.filters, { onlyClasses: ['AUTH_FAILURE'] });
  const grain = chooseGrain(query.range);
  const stats: RunStats = { rows: 0, bytesScanned: null };
  const d = ctx.engine.dialect;
  const [sources, buckets] =
    grant === null
      ? [[], []]
      : await Promise.all([
          runRows(ctx, buildAuthBySourceQuery(d, query, grant, 100), authSourceRowSchema, stats, options),
          runRows(
            ctx,
            buildBucketCountQuery(d, query, grant, grain, 'auth.over_time'),
            bucketRowSchema,
            stats,
            options,
          ),
        ]);
  const counts = new Map(buckets.map((b) => [Date.parse(b.bucket), b.n]));
  stats.rows = sources.length;
  await logAccess(ctx, principal, 'auth-failures', describeQuery(query, { grain }), stats, options);
  return {
    grain,
    bySource: sources.map((r) => ({
      user: r.db_user,
      host: r.remote_host,
      count: r.n,
      firstTime: r.first_time,
      lastTime: r.last_time,
    })),
    overTime: bucketStarts(query.range, grain).map((t) => ({
      start: new Date(t).toISOString(),
      count: counts.get(t) ?? 0,
    })),
  };
}

export interface Overview {
  events: number;
  ddl: number;
  dcl: number;
  failed: number;
  /** failed OR class ERROR (the "Errors" views) */
  errors: number;
  authFailures: number;
  /** approximate (HyperLogLog) */
  distinctUsers: number;
}

const ZERO: Overview = { events: 0, ddl: 0, dcl: 0, failed: 0, errors: 0, authFailures: 0, distinctUsers: 0 };

export async function overview(
  ctx: ServiceContext,
  principal: AccessPrincipal,
  input: ActivityQueryInput,
  options: CallOptions = {},
): Promise<Overview> {
  const query = parseQuery(input);
  const grant = resolveGrant(principal, query.filters);
  const stats: RunStats = { rows: 0, bytesScanned: null };
  const rows =
    grant === null
      ? []
      : await runRows(
          ctx,
          buildOverviewQuery(ctx.engine.dialect, query, grant),
          overviewRowSchema,
          stats,
          options,
        );
  const r = rows[0];
  const result: Overview =
    r === undefined
      ? ZERO
      : {
          events: r.events,
          ddl: r.ddl,
          dcl: r.dcl,
          failed: r.failed,
          errors: r.errors,
          authFailures: r.auth_failures,
          distinctUsers: r.distinct_users,
        };
  stats.rows = rows.length;
  await run(ctx, principal, query, stats, options, { read: 'overview' });
  return result;
}
