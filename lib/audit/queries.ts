import type { SqlDialect } from '../query/dialect';
import type { CompiledQuery } from '../query/engine';
import { and, compile, ident, int, join, type Sql, sql, trusted } from '../query/sql';
import { decodeCursor, keysetPredicate, orderBy } from './cursor';
import type { EffectiveGrant } from './grants';
import type { ActivityQuery, Sort, TimeRange } from './query-model';
import { eventWhere, fromActivity, fromMatching, grantPredicates, partitionAndTime } from './query-where';
import { ACTIVITY_COLUMNS, type ColumnType } from './schema';

/**
 * One builder per read → CompiledQuery. Builders take an already-resolved grant (grants.ts) and
 * never see a principal: the service resolves the grant, so no builder can be called without one.
 * The list view never selects `raw` or the full `command_text`; it carries a preview.
 */

export const PREVIEW_LENGTH = 300;

const cols = (names: readonly string[]): Sql => join(names.map(ident));

const LIST_COLUMNS = [
  'event_id',
  'event_time',
  'class',
  'engine',
  'resource_id',
  'db_user',
  'database_name',
  'object_type',
  'object_name',
  'command',
  'failed',
  'is_aux',
  'row_count',
  'remote_host',
  'client_application',
  'session_id',
] as const;
const ALL_COLUMNS = [...ACTIVITY_COLUMNS.map((c) => c.name), 'class', 'dt'];
const DDL_COLUMNS = [
  'event_id',
  'event_time',
  'class',
  'engine',
  'resource_id',
  'database_name',
  'object_type',
  'object_name',
  'db_user',
  'remote_host',
  'client_application',
  'command',
  'command_text',
  'failed',
  'error_message',
] as const;

const listSelect = sql`${cols(LIST_COLUMNS)}, substr(command_text, 1, ${int(PREVIEW_LENGTH)}) AS text_preview, length(command_text) AS text_length`;

function page(query: ActivityQuery, d: SqlDialect): Sql[] {
  return query.cursor === undefined
    ? []
    : keysetPredicate(d, query.sort, decodeCursor(query.sort, query.cursor));
}

/** A page of events; one extra row tells the service whether there is a next page. */
export function buildListQuery(d: SqlDialect, query: ActivityQuery, grant: EffectiveGrant): CompiledQuery {
  const where = and([eventWhere(d, query.filters, query.range, grant), ...page(query, d)]);
  return compile(
    sql`SELECT ${listSelect} ${fromActivity(d, grant, query.range, where)} ${orderBy(query.sort)} LIMIT ${int(query.limit + 1)}`,
    'activity.list',
  );
}

/** One event by id within `range` (AUX events included); the grant hides what it does not cover. */
export function buildEventQuery(
  d: SqlDialect,
  eventId: string,
  range: TimeRange,
  grant: EffectiveGrant,
): CompiledQuery {
  const where = and([
    ...partitionAndTime(d, grant, range),
    sql`event_id = ${eventId}`,
    ...grantPredicates(grant),
  ]);
  return compile(
    sql`SELECT ${cols(ALL_COLUMNS)} ${fromActivity(d, grant, range, where)} LIMIT 2`,
    'activity.get',
  );
}

export interface CompanionAnchor {
  readonly eventId: string;
  readonly resourceId: string;
  readonly sessionId: string;
  readonly statementId: string;
}

/** Aurora MySQL MAIN/AUX companions: same resource, session and statement, near in time. */
export function buildCompanionsQuery(
  d: SqlDialect,
  anchor: CompanionAnchor,
  window: TimeRange,
  grant: EffectiveGrant,
): CompiledQuery {
  const where = and([
    ...partitionAndTime(d, grant, window),
    sql`resource_id = ${anchor.resourceId}`,
    sql`session_id = ${anchor.sessionId}`,
    sql`statement_id = ${anchor.statementId}`,
    sql`event_id <> ${anchor.eventId}`,
    ...grantPredicates(grant),
  ]);
  return compile(
    sql`SELECT ${listSelect} ${fromActivity(d, grant, window, where)} ORDER BY event_time ASC, event_id ASC LIMIT 100`,
    'activity.companions',
  );
}

/** DDL changes newest first (or oldest first), keyset-paged like the list. */
export function buildDdlTimelineQuery(
  d: SqlDialect,
  query: ActivityQuery,
  grant: EffectiveGrant,
): CompiledQuery {
  const sort: Sort = {
    column: 'event_time',
    direction: query.sort.column === 'event_time' ? query.sort.direction : 'desc',
  };
  const where = and([eventWhere(d, query.filters, query.range, grant), ...page({ ...query, sort }, d)]);
  return compile(
    sql`SELECT ${cols(DDL_COLUMNS)} ${fromActivity(d, grant, query.range, where)} ${orderBy(sort)} LIMIT ${int(query.limit + 1)}`,
    'ddl.timeline',
  );
}

export interface SessionKey {
  readonly sessionId: string;
  readonly resourceId?: string | undefined;
}

function sessionWhere(d: SqlDialect, key: SessionKey, range: TimeRange, grant: EffectiveGrant): Sql {
  return and([
    eventWhere(d, {}, range, grant),
    sql`session_id = ${key.sessionId}`,
    ...(key.resourceId === undefined ? [] : [sql`resource_id = ${key.resourceId}`]),
  ]);
}

/** A session's events in order: connect → statements → disconnect. */
export function buildSessionEventsQuery(
  d: SqlDialect,
  key: SessionKey,
  range: TimeRange,
  grant: EffectiveGrant,
  limit: number,
): CompiledQuery {
  return compile(
    sql`SELECT ${listSelect} ${fromActivity(d, grant, range, sessionWhere(d, key, range, grant))} ORDER BY event_time ASC, event_id ASC LIMIT ${int(limit + 1)}`,
    'session.events',
  );
}

// Class names below are constants of the storage contract, not request values.
export function buildSessionSummaryQuery(
  d: SqlDialect,
  key: SessionKey,
  range: TimeRange,
  grant: EffectiveGrant,
): CompiledQuery {
  return compile(
    sql`SELECT count(*) AS events, min(event_time) AS first_time, max(event_time) AS last_time, min(event_time) FILTER (WHERE class = 'CONNECT') AS connect_time, max(event_time) FILTER (WHERE class = 'DISCONNECT') AS disconnect_time, sum(row_count) AS total_rows, count(*) FILTER (WHERE failed) AS failed ${fromActivity(d, grant, range, sessionWhere(d, key, range, grant))}`,
    'session.summary',
  );
}

/** When a session id connected, oldest first: several times when the engine reused the id. */
export function buildSessionConnectsQuery(
  d: SqlDialect,
  key: SessionKey,
  range: TimeRange,
  grant: EffectiveGrant,
  limit: number,
): CompiledQuery {
  return compile(
    sql`SELECT event_time ${fromActivity(d, grant, range, sessionWhere(d, key, range, grant))} AND class = 'CONNECT' ORDER BY event_time ASC LIMIT ${int(limit)}`,
    'session.connects',
  );
}

/** Every matching event, every column, oldest first: the export (no LIMIT, streamed). */
export function buildExportQuery(d: SqlDialect, query: ActivityQuery, grant: EffectiveGrant): CompiledQuery {
  return compile(
    sql`SELECT ${cols(ALL_COLUMNS)} ${fromMatching(d, query, grant)} ORDER BY event_time ASC, event_id ASC`,
    'export',
  );
}

/** Every column an export can carry, in storage order: the contract's columns, then the partitions. */
export const EXPORT_COLUMNS: readonly string[] = ALL_COLUMNS;

const EXPORT_COLUMN_TYPES: ReadonlyMap<string, ColumnType | 'partition'> = new Map([
  ...ACTIVITY_COLUMNS.map((c) => [c.name, c.type] as const),
  ['class', 'string'],
  ['dt', 'partition'],
]);

/** First characters that make a spreadsheet run a cell as a formula (SQL literals). */
const FORMULA_STARTS = ["'='", "'+'", "'-'", "'@'", 'chr(9)', 'chr(13)'];

/**
 * One export cell as the CSV wants it, in SQL: a text that a spreadsheet would run as a formula
 * (first character = + - @ TAB CR) gets a leading quote, as export.ts's neutraliseCell does; an
 * empty text becomes NULL (both are an empty cell); timestamps print as the API's ISO text.
 */
function exportCell(d: SqlDialect, name: string): Sql {
  const c = ident(name);
  switch (EXPORT_COLUMN_TYPES.get(name)) {
    case 'string': {
      // starts_with, not substr(…) IN (…): no one-character string made per cell (measured on a
      // 5 M-row export: the substr form held ~95 MB more and ran ~15% slower).
      const formula = join(
        FORMULA_STARTS.map((start) => sql`starts_with(${c}, ${trusted(start)})`),
        ' OR ',
      );
      return sql`CASE WHEN ${c} = '' THEN NULL WHEN ${formula} THEN '''' || ${c} ELSE ${c} END`;
    }
    case 'timestamp':
      return d.isoTimestamp(c);
    default:
      return c;
  }
}

/**
 * The export's `columns` with every cell already CSV text, for an engine that writes the CSV
 * itself. `sorted`: in export order (cells carry no alias, so ORDER BY sorts on the stored
 * columns, not on their text). `keyed`: unsorted, each row led by its sort key (event_time in µs
 * since the epoch, event_id's bytes in hex) for a merge of the files' sorted runs (csv-runs.ts).
 */
export function buildCsvExportQuery(
  d: SqlDialect,
  query: ActivityQuery,
  grant: EffectiveGrant,
  columns: readonly string[],
  order: 'sorted' | 'keyed',
): CompiledQuery {
  const cells = join(columns.map((name) => exportCell(d, name)));
  const from = fromMatching(d, query, grant);
  return order === 'sorted'
    ? compile(sql`SELECT ${cells} ${from} ORDER BY event_time ASC, event_id ASC`, 'export.csv')
    : compile(
        sql`SELECT ${d.epochMicros(ident('event_time'))}, ${d.hexBytes(ident('event_id'))}, ${cells} ${from}`,
        'export.csv.keyed',
      );
}

export * from './queries-stats';
