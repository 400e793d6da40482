import { ACTIVITY_COLUMNS, type ColumnType, STORE_PREFIX } from '../../lib/audit/schema';

/*
 * SQL text handling for the Athena-protocol test server: execution-parameter substitution (what
 * Athena does with ExecutionParameters) and the DuckDB objects that stand in for the Glue table.
 */

export class ParameterCountError extends Error {
  constructor(expected: number, given: number) {
    super(`Incorrect number of parameters: expected ${expected} but found ${given}`);
    this.name = 'ParameterCountError';
  }
}

/**
 * Replaces each `?` placeholder outside string literals, quoted identifiers and comments with the
 * next parameter's text, verbatim: Athena treats ExecutionParameters as SQL literal text, so a badly
 * escaped value changes the statement here exactly as it would there. The spaces around a value
 * keep it one token (`x -?` with `-1` must not become the comment `x --1`).
 */
export function substituteParameters(sql: string, params: readonly string[]): string {
  let out = '';
  let used = 0;
  let i = 0;
  while (i < sql.length) {
    const end = skipQuotedOrComment(sql, i);
    if (end > i) {
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    const ch = sql.charAt(i);
    if (ch === '?') {
      const value = params[used];
      used += 1;
      out += value === undefined ? '?' : ` ${value} `;
    } else {
      out += ch;
    }
    i += 1;
  }
  if (used !== params.length) throw new ParameterCountError(used, params.length);
  return out;
}

/** End index of the string literal, quoted identifier or comment starting at `i`, or `i` if none. */
function skipQuotedOrComment(sql: string, i: number): number {
  const ch = sql.charAt(i);
  const next = sql.charAt(i + 1);
  if (ch === "'" || ch === '"') return skipQuoted(sql, i, ch);
  if (ch === '-' && next === '-') {
    const eol = sql.indexOf('\n', i);
    return eol === -1 ? sql.length : eol;
  }
  if (ch === '/' && next === '*') {
    const close = sql.indexOf('*/', i + 2);
    return close === -1 ? sql.length : close + 2;
  }
  return i;
}

// ANSI quoting: the only escape is the doubled quote character.
function skipQuoted(sql: string, start: number, quote: string): number {
  let j = start + 1;
  while (j < sql.length) {
    if (sql.charAt(j) === quote) {
      if (sql.charAt(j + 1) !== quote) return j + 1;
      j += 2;
    } else {
      j += 1;
    }
  }
  return sql.length;
}

/** `"name"` with embedded quotes doubled, for the server's own DDL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `'text'` with embedded quotes doubled, for the server's own DDL. */
export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const DUCKDB_TYPES = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  int64: 'BIGINT',
  boolean: 'BOOLEAN',
} as const;

/** Fractional digits of `timestamp` columns: 6 (the files' µs) or 3 (what Athena's Hive tables keep). */
export type TimestampPrecision = 3 | 6;

/**
 * The Glue table as a DuckDB view in schema `<database>`: the Parquet files under
 * `<storeDir>/activity/`, columns cast to the table's declared types (a UTC-adjusted Parquet
 * timestamp would otherwise surface as TIMESTAMPTZ), then `class` and `dt` as strings, last, as
 * partition projection types them. An empty store yields the same columns and no rows.
 */
export function activityViewSql(
  database: string,
  table: string,
  storeDir: string,
  hasFiles: boolean,
  precision: TimestampPrecision = 6,
): string {
  const typeOf = (type: ColumnType): string =>
    type === 'timestamp' && precision === 3 ? 'TIMESTAMP_MS' : DUCKDB_TYPES[type];
  const columns = ACTIVITY_COLUMNS.map(
    (c) => `CAST(${hasFiles ? quoteIdent(c.name) : 'NULL'} AS ${typeOf(c.type)}) AS ${quoteIdent(c.name)}`,
  );
  const glob = `${storeDir.replace(/\/+$/, '')}/${STORE_PREFIX.activity}**/*.parquet`;
  const source = hasFiles
    ? `CAST("class" AS VARCHAR) AS "class", CAST("dt" AS VARCHAR) AS "dt" FROM read_parquet(${quoteString(glob)}, hive_partitioning = true, hive_types_autocast = false)`
    : 'CAST(NULL AS VARCHAR) AS "class", CAST(NULL AS VARCHAR) AS "dt" WHERE false';
  return [
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(database)};`,
    `CREATE OR REPLACE VIEW ${quoteIdent(database)}.${quoteIdent(table)} AS SELECT ${columns.join(', ')}, ${source};`,
  ].join('\n');
}
