import { z } from 'zod';
import { ValidationError } from '../http/errors';
import type { SqlDialect } from '../query/dialect';
import { and, ident, join, or, type Sql, sql, trusted } from '../query/sql';
import type { Sort } from './query-model';
import { normaliseTimestamp, toSqlTimestamp } from './rows';

/**
 * Keyset pagination: the cursor is base64url JSON of the last row's sort key (sort column,
 * event_time, event_id) and the sort it belongs to. No OFFSET: each page is a range seek.
 */

export function keyColumns(sort: Sort): string[] {
  return sort.column === 'event_time' ? ['event_time', 'event_id'] : [sort.column, 'event_time', 'event_id'];
}

const cursorSchema = z.object({ s: z.string(), k: z.array(z.string()).min(2).max(3) }).strict();

const signature = (sort: Sort): string => `${sort.column}:${sort.direction}`;

export function encodeCursor(sort: Sort, row: Record<string, unknown>): string {
  const k = keyColumns(sort).map((c) => String(row[c]));
  return Buffer.from(JSON.stringify({ s: signature(sort), k })).toString('base64url');
}

/** The key values a cursor carries; a cursor from another sort (or garbage) is a 400. */
export function decodeCursor(sort: Sort, cursor: string): string[] {
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    const columns = keyColumns(sort);
    if (parsed.s !== signature(sort) || parsed.k.length !== columns.length) throw new Error('sort mismatch');
    const badTime = columns.some(
      (c, i) => c === 'event_time' && normaliseTimestamp(parsed.k[i] ?? '') === null,
    );
    if (badTime) throw new Error('bad timestamp');
    return parsed.k;
  } catch (err) {
    throw new ValidationError('Invalid cursor', { cause: err });
  }
}

function keyValue(d: SqlDialect, column: string, value: string): Sql {
  return column === 'event_time' ? d.timestamp(toSqlTimestamp(value)) : sql`${value}`;
}

/** Rows strictly after the cursor in sort order: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR … */
export function keysetPredicate(d: SqlDialect, sort: Sort, values: readonly string[]): Sql[] {
  const columns = keyColumns(sort);
  const op = trusted(sort.direction === 'desc' ? '<' : '>');
  const opOrEqual = trusted(sort.direction === 'desc' ? '<=' : '>=');
  const branches = columns.map((column, i) => {
    const equal = columns.slice(0, i).map((c, j) => sql`${ident(c)} = ${keyValue(d, c, values[j] ?? '')}`);
    const step = sql`${ident(column)} ${op} ${keyValue(d, column, values[i] ?? '')}`;
    return equal.length === 0 ? step : sql`(${and([...equal, step])})`;
  });
  const first = columns[0] ?? 'event_id';
  // The redundant bound on the first key lets the engines skip row groups by their min/max stats.
  const bound = sql`${ident(first)} ${opOrEqual} ${keyValue(d, first, values[0] ?? '')}`;
  return [bound, or(branches)];
}

export function orderBy(sort: Sort): Sql {
  const dir = trusted(sort.direction === 'desc' ? 'DESC' : 'ASC');
  return sql`ORDER BY ${join(keyColumns(sort).map((c) => sql`${ident(c)} ${dir}`))}`;
}
