import type { SqlDialect, TimeGrain } from '../query/dialect';
import type { CompiledQuery } from '../query/engine';
import { and, compile, ident, int, sql, trusted } from '../query/sql';
import type { EffectiveGrant } from './grants';
import type { ActivityQuery } from './query-model';
import { eventWhere, fromActivity, fromMatching } from './query-where';
import { ACTIVITY_CLASSES } from './schema';

/** Aggregate reads (charts, overview): same WHERE as the lists, grouped; no statement text. */

/** Event counts per time bucket, one column per class. */
export function buildCountsQuery(
  d: SqlDialect,
  query: ActivityQuery,
  grant: EffectiveGrant,
  grain: TimeGrain,
): CompiledQuery {
  return compile(
    sql`SELECT ${d.timeBucket(grain, sql`event_time`)} AS bucket, ${CLASS_COUNTS} ${fromMatching(d, query, grant)} GROUP BY 1 ORDER BY 1`,
    'stats.counts',
  );
}

// One row per bucket, a column per class (c0… in ACTIVITY_CLASSES order): ten times fewer rows to
// parse than one per (bucket, class). Class names are constants of the storage contract.
const CLASS_COUNTS = trusted(
  ACTIVITY_CLASSES.map((c, i) => `count(*) FILTER (WHERE class = '${c}') AS c${i}`).join(', '),
);

export const TOP_DIMENSIONS = {
  users: 'db_user',
  databases: 'database_name',
  objects: 'object_name',
  hosts: 'remote_host',
} as const;
export type TopDimension = keyof typeof TOP_DIMENSIONS;
export const TOP_DIMENSION_NAMES = [
  'users',
  'databases',
  'objects',
  'hosts',
] as const satisfies readonly TopDimension[];

/** The `n` most frequent values of a dimension, with how many of their events failed. */
export function buildTopQuery(
  d: SqlDialect,
  query: ActivityQuery,
  grant: EffectiveGrant,
  dimension: TopDimension,
  n: number,
): CompiledQuery {
  const col = ident(TOP_DIMENSIONS[dimension]);
  const where = and([eventWhere(d, query.filters, query.range, grant), sql`${col} IS NOT NULL`]);
  return compile(
    sql`SELECT ${col} AS value, count(*) AS n, count(*) FILTER (WHERE failed) AS failed ${fromActivity(d, grant, query.range, where)} GROUP BY 1 ORDER BY n DESC, value ASC LIMIT ${int(n)}`,
    `stats.top.${dimension}`,
  );
}

/** Authentication failures per user and client host (grant narrowed to AUTH_FAILURE by the caller). */
export function buildAuthBySourceQuery(
  d: SqlDialect,
  query: ActivityQuery,
  grant: EffectiveGrant,
  n: number,
): CompiledQuery {
  return compile(
    sql`SELECT db_user, remote_host, count(*) AS n, min(event_time) AS first_time, max(event_time) AS last_time ${fromMatching(d, query, grant)} GROUP BY 1, 2 ORDER BY n DESC, db_user ASC, remote_host ASC LIMIT ${int(n)}`,
    'auth.by_source',
  );
}

export function buildBucketCountQuery(
  d: SqlDialect,
  query: ActivityQuery,
  grant: EffectiveGrant,
  grain: TimeGrain,
  label: string,
): CompiledQuery {
  return compile(
    sql`SELECT ${d.timeBucket(grain, sql`event_time`)} AS bucket, count(*) AS n ${fromMatching(d, query, grant)} GROUP BY 1 ORDER BY 1`,
    label,
  );
}

export function buildOverviewQuery(
  d: SqlDialect,
  query: ActivityQuery,
  grant: EffectiveGrant,
): CompiledQuery {
  return compile(
    sql`SELECT count(*) AS events, count(*) FILTER (WHERE class = 'DDL') AS ddl, count(*) FILTER (WHERE class = 'DCL') AS dcl, count(*) FILTER (WHERE failed) AS failed, count(*) FILTER (WHERE failed OR class = 'ERROR') AS errors, count(*) FILTER (WHERE class = 'AUTH_FAILURE') AS auth_failures, ${d.approxDistinct(sql`db_user`)} AS distinct_users ${fromMatching(d, query, grant)}`,
    'stats.overview',
  );
}
