import type { PartitionScope, SqlDialect } from '../query/dialect';
import { and, ident, list, or, type Sql, sql } from '../query/sql';
import type { EffectiveGrant, GrantScope } from './grants';
import {
  FIELD_COLUMNS,
  FILTER_FIELDS,
  type FieldFilter,
  hasWildcard,
  type SearchFilters,
  type TimeRange,
} from './query-model';
import { toSqlTimestamp } from './rows';
import { ACTIVITY_COLUMNS } from './schema';

/**
 * WHERE clauses shared by every read: partition predicates first (class from the grant, dt from
 * the range) so both engines prune files, then event_time, then the request's filters and the
 * grant's scopes. Every value is a parameter; columns come from the storage contract.
 */

const NULLABLE: ReadonlySet<string> = new Set(ACTIVITY_COLUMNS.filter((c) => c.nullable).map((c) => c.name));

/** `*` → `%`, with LIKE's own metacharacters escaped by `\`. */
export function likePattern(value: string): string {
  return value.replace(/[\\%_]/g, '\\$&').replaceAll('*', '%');
}

/** UTC days (inclusive) covering [from, to): the `dt` partitions a range touches. */
export function dtRange(range: TimeRange): { fromDay: string; toDay: string } {
  const lastMs = Date.parse(range.to) - 1;
  return { fromDay: range.from.slice(0, 10), toDay: new Date(lastMs).toISOString().slice(0, 10) };
}

/** The partitions a read may touch: the granted classes over the range's UTC days. */
export function partitionScope(grant: EffectiveGrant, range: TimeRange): PartitionScope {
  return { classes: grant.classes, ...dtRange(range) };
}

export function partitionAndTime(d: SqlDialect, grant: EffectiveGrant, range: TimeRange): Sql[] {
  const { fromDay, toDay } = dtRange(range);
  return [
    sql`class IN (${list(grant.classes)})`,
    d.dtBetween(fromDay, toDay),
    sql`event_time >= ${d.timestamp(toSqlTimestamp(range.from))}`,
    sql`event_time < ${d.timestamp(toSqlTimestamp(range.to))}`,
  ];
}

function termPredicate(d: SqlDialect, column: string, term: FieldFilter): Sql {
  const col = ident(column);
  const exact = term.values.filter((v) => !hasWildcard(v));
  const wild = term.values.filter(hasWildcard);
  const parts = [
    ...(exact.length === 1 ? [sql`${col} = ${exact[0] ?? ''}`] : []),
    ...(exact.length > 1 ? [sql`${col} IN (${list(exact)})`] : []),
    ...wild.map((v) => d.like(col, likePattern(v))),
  ];
  const match = or(parts);
  if (!term.negate) return match;
  // NOT(NULL) is NULL: a negated term must still keep rows where the column is empty.
  return NULLABLE.has(column) ? sql`(${col} IS NULL OR NOT ${wrap(match)})` : sql`NOT ${wrap(match)}`;
}

const wrap = (part: Sql): Sql => (part.text.startsWith('(') ? part : sql`(${part})`);

/** Field terms (class is already the partition list), failed, aux and free text. */
export function filterPredicates(d: SqlDialect, filters: SearchFilters): Sql[] {
  const parts: Sql[] = [];
  for (const field of FILTER_FIELDS) {
    if (field === 'class') continue;
    for (const term of filters[field] ?? []) parts.push(termPredicate(d, FIELD_COLUMNS[field], term));
  }
  if (filters.failed !== undefined) parts.push(sql`failed = ${filters.failed}`);
  const aux = filters.aux ?? false;
  if (aux !== 'any') parts.push(sql`is_aux = ${aux}`);
  for (const word of filters.text ?? []) parts.push(d.ilike(sql`command_text`, `%${likePattern(word)}%`));
  return parts;
}

function scopePredicate(scope: GrantScope, all: readonly string[]): Sql[] {
  return [
    ...(scope.classes.length === all.length ? [] : [sql`class IN (${list(scope.classes)})`]),
    ...(scope.resources === '*' ? [] : [sql`resource_id IN (${list(scope.resources)})`]),
    ...(scope.databases === '*' ? [] : [sql`database_name IN (${list(scope.databases)})`]),
  ];
}

/** The grant's scopes as one predicate, or nothing when a scope covers every requested row. */
export function grantPredicates(grant: EffectiveGrant): Sql[] {
  const scopes = grant.scopes.map((s) => scopePredicate(s, grant.classes));
  if (scopes.some((parts) => parts.length === 0)) return [];
  return [or(scopes.map((parts) => (parts.length > 1 ? sql`(${and(parts)})` : and(parts))))];
}

/** Everything a read over events matches: partitions, time, filters, grant. */
export function eventWhere(
  d: SqlDialect,
  filters: SearchFilters,
  range: TimeRange,
  grant: EffectiveGrant,
): Sql {
  return and([
    ...partitionAndTime(d, grant, range),
    ...filterPredicates(d, filters),
    ...grantPredicates(grant),
  ]);
}

/** `FROM <the grant's partitions within range> WHERE <where>`: where every activity read starts. */
export function fromActivity(d: SqlDialect, grant: EffectiveGrant, range: TimeRange, where: Sql): Sql {
  return sql`FROM ${d.activitySource(partitionScope(grant, range))} WHERE ${where}`;
}

/** The same over the events a query matches (its filters and range, the grant). */
export function fromMatching(
  d: SqlDialect,
  query: { readonly filters: SearchFilters; readonly range: TimeRange },
  grant: EffectiveGrant,
): Sql {
  return fromActivity(d, grant, query.range, eventWhere(d, query.filters, query.range, grant));
}
