import { type Sql, sql, trusted } from './sql';

/** Bucket widths for charts; queries.ts picks one so a range has roughly 50–400 buckets. */
export const TIME_GRAINS = ['minute', '5 minutes', '15 minutes', 'hour', '6 hours', 'day'] as const;
export type TimeGrain = (typeof TIME_GRAINS)[number];

/**
 * What differs in spelling between DuckDB and Athena (Trino). Small and semantic: queries.ts
 * writes everything else in the common subset, with `?` placeholders for every value.
 */
export interface SqlDialect {
  /** Which engine family this spelling is for (tests and logs only; never branch on it). */
  readonly name: 'duckdb' | 'athena';
  /**
   * The FROM source of the activity table, exposing the partition columns `class` and `dt`. The
   * scope lets a dialect read only those partitions' files (the WHERE clause still filters them).
   */
  activitySource(scope?: PartitionScope): Sql;
  /** Partition predicate: `dt` within the inclusive UTC day range (YYYY-MM-DD). */
  dtBetween(fromDay: string, toDay: string): Sql;
  /** A timestamp value ('YYYY-MM-DD HH:MM:SS.ffffff', UTC) as a typed placeholder. */
  timestamp(value: string): Sql;
  /** Start of the `grain` bucket holding `column` (a timestamp). */
  timeBucket(grain: TimeGrain, column: Sql): Sql;
  /** Case-sensitive LIKE with `\` as the escape character. */
  like(column: Sql, pattern: string): Sql;
  /** Case-insensitive LIKE with `\` as the escape character. */
  ilike(column: Sql, pattern: string): Sql;
  /** Regular-expression match (RE2 syntax in both engines). */
  regexpMatches(column: Sql, pattern: string): Sql;
  /** Approximate count of distinct values (HyperLogLog). */
  approxDistinct(column: Sql): Sql;
  /** A UTC timestamp as text 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (the API's and the export's form). */
  isoTimestamp(column: Sql): Sql;
  /** A timestamp as whole microseconds since 1970-01-01 UTC (BIGINT). */
  epochMicros(column: Sql): Sql;
  /** A text's UTF-8 bytes in hex: never needs CSV quoting, and sorts as the text's bytes do. */
  hexBytes(column: Sql): Sql;
}

/** The `class` × `dt` partitions a read may touch (UTC days, inclusive). */
export interface PartitionScope {
  readonly classes: readonly string[];
  readonly fromDay: string;
  readonly toDay: string;
}

/** Existing partition folders (absolute paths) within a scope; injected by the DuckDB engine. */
export type PartitionLister = (scope: PartitionScope) => readonly string[];

/** `'…'` with quotes doubled: the one literal renderer for configuration text (paths, never values). */
function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const DUCKDB_INTERVAL: Record<TimeGrain, string> = {
  minute: "INTERVAL '1 minute'",
  '5 minutes': "INTERVAL '5 minutes'",
  '15 minutes': "INTERVAL '15 minutes'",
  hour: "INTERVAL '1 hour'",
  '6 hours': "INTERVAL '6 hours'",
  day: "INTERVAL '1 day'",
};

/**
 * DuckDB over `<storeRoot>/activity/class=…/dt=…/*.parquet` (hive typing makes `dt` a DATE).
 * `unionByName` reads every file's schema at bind time (measured: overview 70–180 ms → 360–550 ms
 * over 678 files), so it is off unless the store mixes schema versions.
 */
export function duckdbDialect(options: {
  storeRoot: string;
  unionByName?: boolean;
  partitions?: PartitionLister;
  emptySource?: string;
}): SqlDialect {
  const root = options.storeRoot.replace(/\/+$/, '');
  const glob = quoteLiteral(`${root}/activity/class=*/dt=*/*.parquet`);
  const union = options.unionByName === true ? ', union_by_name = true' : '';
  const source = trusted(`read_parquet(${glob}, hive_partitioning = true${union})`);
  // With a lister, only the scope's existing folders are globbed: DuckDB otherwise lists every
  // file of the store before pruning (measured: one day of one class 77 ms → 9 ms on 1,165 files).
  const scoped = (scope: PartitionScope): Sql => {
    const dirs = options.partitions?.(scope) ?? [];
    if (dirs.length === 0) return trusted(options.emptySource ?? source.text);
    const globs = dirs.map((dir) => quoteLiteral(`${dir}/*.parquet`)).join(', ');
    return trusted(`read_parquet([${globs}], hive_partitioning = true${union})`);
  };
  return {
    name: 'duckdb',
    activitySource: (scope) => (scope && options.partitions ? scoped(scope) : source),
    dtBetween: (fromDay, toDay) => sql`dt BETWEEN CAST(${fromDay} AS DATE) AND CAST(${toDay} AS DATE)`,
    // Activity files store UTC-adjusted timestamps, which DuckDB types TIMESTAMPTZ (session zone UTC).
    timestamp: (value) => sql`CAST(${value} AS TIMESTAMPTZ)`,
    timeBucket: (grain, column) => sql`time_bucket(${trusted(DUCKDB_INTERVAL[grain])}, ${column})`,
    like: (column, pattern) => sql`${column} LIKE ${pattern} ESCAPE '\\'`,
    ilike: (column, pattern) => sql`${column} ILIKE ${pattern} ESCAPE '\\'`,
    regexpMatches: (column, pattern) => sql`regexp_matches(${column}, ${pattern})`,
    approxDistinct: (column) => sql`approx_count_distinct(${column})`,
    // The session time zone is UTC (duckdb.ts), so strftime prints UTC wall time.
    isoTimestamp: (column) => sql`strftime(${column}, '%Y-%m-%dT%H:%M:%S.%fZ')`,
    epochMicros: (column) => sql`epoch_us(${column})`,
    hexBytes: (column) => sql`hex(${column})`,
  };
}

const ATHENA_NAME = /^[A-Za-z0-9_]{1,255}$/;

// Trino has no time_bucket: truncate to the unit, then step back to the multiple of n.
function athenaBucket(grain: TimeGrain, column: Sql): Sql {
  switch (grain) {
    case 'minute':
      return sql`date_trunc('minute', ${column})`;
    case '5 minutes':
      return sql`date_add('minute', -(minute(${column}) % 5), date_trunc('minute', ${column}))`;
    case '15 minutes':
      return sql`date_add('minute', -(minute(${column}) % 15), date_trunc('minute', ${column}))`;
    case 'hour':
      return sql`date_trunc('hour', ${column})`;
    case '6 hours':
      return sql`date_add('hour', -(hour(${column}) % 6), date_trunc('hour', ${column}))`;
    case 'day':
      return sql`date_trunc('day', ${column})`;
  }
}

/** Athena (Trino) over the Glue table; partition projection types `dt` as a 'YYYY-MM-DD' string. */
export function athenaDialect(options: { database: string; table: string }): SqlDialect {
  if (!ATHENA_NAME.test(options.database) || !ATHENA_NAME.test(options.table)) {
    throw new Error('Athena database and table names must match [A-Za-z0-9_]+');
  }
  const source = trusted(`"${options.database}"."${options.table}"`);
  return {
    name: 'athena',
    activitySource: () => source,
    dtBetween: (fromDay, toDay) => sql`dt BETWEEN ${fromDay} AND ${toDay}`,
    timestamp: (value) => sql`CAST(${value} AS TIMESTAMP)`,
    timeBucket: athenaBucket,
    like: (column, pattern) => sql`${column} LIKE ${pattern} ESCAPE '\\'`,
    ilike: (column, pattern) => sql`lower(${column}) LIKE lower(${pattern}) ESCAPE '\\'`,
    regexpMatches: (column, pattern) => sql`regexp_like(${column}, ${pattern})`,
    approxDistinct: (column) => sql`approx_distinct(${column})`,
    // Hive timestamps hold milliseconds: the microsecond digits are zeros, as rows.ts pads them.
    isoTimestamp: (column) => sql`concat(format_datetime(${column}, 'yyyy-MM-dd''T''HH:mm:ss.SSS'), '000Z')`,
    epochMicros: (column) => sql`CAST(round(to_unixtime(${column}) * 1000000) AS BIGINT)`,
    hexBytes: (column) => sql`to_hex(to_utf8(${column}))`,
  };
}
