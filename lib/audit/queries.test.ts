import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '../config/schema';
import { athenaDialect, duckdbDialect } from '../query/dialect';
import type { CompiledQuery } from '../query/engine';
import { parseActivityRequest } from './activity-request';
import { type EffectiveGrant, principalForRoles, resolveGrant } from './grants';
import {
  buildAuthBySourceQuery,
  buildBucketCountQuery,
  buildCompanionsQuery,
  buildCountsQuery,
  buildCsvExportQuery,
  buildDdlTimelineQuery,
  buildEventQuery,
  buildExportQuery,
  buildListQuery,
  buildOverviewQuery,
  buildSessionEventsQuery,
  buildSessionSummaryQuery,
  buildTopQuery,
  EXPORT_COLUMNS,
} from './queries';
import type { SearchFilters } from './query-model';

const duck = duckdbDialect({ storeRoot: '/store' });
const athena = athenaDialect({ database: 'audit', table: 'activity' });
const DUCK_SOURCE = "read_parquet('/store/activity/class=*/dt=*/*.parquet', hive_partitioning = true)";
const LIST_SELECT =
  'SELECT event_id, event_time, class, engine, resource_id, db_user, database_name, object_type, object_name, command, failed, is_aux, row_count, remote_host, client_application, session_id, substr(command_text, 1, 300) AS text_preview, length(command_text) AS text_length FROM ';

function grantFor(role: string, filters: SearchFilters, onlyClasses?: ['DDL']): EffectiveGrant {
  const grant = resolveGrant(
    principalForRoles('tester', [role], DEFAULT_ROLES),
    filters,
    onlyClasses ? { onlyClasses } : {},
  );
  if (grant === null) throw new Error('empty grant');
  return grant;
}

describe('buildListQuery', () => {
  const query = parseActivityRequest({
    q: 'user:alice,bo* -object:tmp_*',
    from: '2026-01-10T00:00:00Z',
    to: '2026-01-11T12:00:00Z',
    limit: 50,
  });
  const grant = grantFor('app-team', query.filters);
  const params = [
    'DDL',
    'DML',
    '2026-01-10',
    '2026-01-11',
    '2026-01-10 00:00:00.000000',
    '2026-01-11 12:00:00.000000',
    'alice',
    'bo%',
    'tmp\\_%',
    false,
    'app',
  ];
  const where = (ts: string, dt: string) =>
    ` WHERE class IN (?, ?) AND ${dt} AND event_time >= CAST(? AS ${ts}) AND event_time < CAST(? AS ${ts}) AND (db_user = ? OR db_user LIKE ? ESCAPE '\\') AND (object_name IS NULL OR NOT (object_name LIKE ? ESCAPE '\\')) AND is_aux = ? AND database_name IN (?) ORDER BY event_time DESC, event_id DESC LIMIT 51`;

  it('compiles for DuckDB with partition predicates, parameters and the grant scope', () => {
    expect(buildListQuery(duck, query, grant)).toEqual({
      text: `${LIST_SELECT}${DUCK_SOURCE}${where('TIMESTAMPTZ', 'dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)')}`,
      params,
      label: 'activity.list',
    });
  });

  it('compiles for Athena with the same parameters and a string dt', () => {
    expect(buildListQuery(athena, query, grant)).toEqual({
      text: `${LIST_SELECT}"audit"."activity"${where('TIMESTAMP', 'dt BETWEEN ? AND ?')}`,
      params,
      label: 'activity.list',
    });
  });
});

const CLASS_COUNTS =
  "count(*) FILTER (WHERE class = 'DDL') AS c0, count(*) FILTER (WHERE class = 'DML') AS c1, count(*) FILTER (WHERE class = 'DQL') AS c2, count(*) FILTER (WHERE class = 'DCL') AS c3, count(*) FILTER (WHERE class = 'TCL') AS c4, count(*) FILTER (WHERE class = 'CONNECT') AS c5, count(*) FILTER (WHERE class = 'DISCONNECT') AS c6, count(*) FILTER (WHERE class = 'AUTH_FAILURE') AS c7, count(*) FILTER (WHERE class = 'ERROR') AS c8, count(*) FILTER (WHERE class = 'OTHER') AS c9";

describe('buildCountsQuery', () => {
  // security-lead asked for DML too: narrowed silently to DDL, DCL.
  const query = parseActivityRequest({
    q: 'class:DDL,DCL,DML "drop"',
    from: '2026-01-10T00:00:00Z',
    to: '2026-01-11T00:00:00Z',
  });
  const grant = grantFor('security-lead', query.filters);
  const params = [
    'DDL',
    'DCL',
    '2026-01-10',
    '2026-01-10',
    '2026-01-10 00:00:00.000000',
    '2026-01-11 00:00:00.000000',
    false,
    '%drop%',
  ];

  it('compiles for DuckDB', () => {
    expect(buildCountsQuery(duck, query, grant, '5 minutes')).toEqual({
      text: `SELECT time_bucket(INTERVAL '5 minutes', event_time) AS bucket, ${CLASS_COUNTS} FROM ${DUCK_SOURCE} WHERE class IN (?, ?) AND dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) AND event_time >= CAST(? AS TIMESTAMPTZ) AND event_time < CAST(? AS TIMESTAMPTZ) AND is_aux = ? AND command_text ILIKE ? ESCAPE '\\' GROUP BY 1 ORDER BY 1`,
      params,
      label: 'stats.counts',
    });
  });

  it('compiles for Athena', () => {
    expect(buildCountsQuery(athena, query, grant, '5 minutes')).toEqual({
      text: `SELECT date_add('minute', -(minute(event_time) % 5), date_trunc('minute', event_time)) AS bucket, ${CLASS_COUNTS} FROM "audit"."activity" WHERE class IN (?, ?) AND dt BETWEEN ? AND ? AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP) AND is_aux = ? AND lower(command_text) LIKE lower(?) ESCAPE '\\' GROUP BY 1 ORDER BY 1`,
      params,
      label: 'stats.counts',
    });
  });
});

describe('buildDdlTimelineQuery', () => {
  const cursor = Buffer.from(
    JSON.stringify({ s: 'event_time:desc', k: ['2026-01-11T07:44:00.000000Z', 'evt-000113'] }),
  ).toString('base64url');
  const query = parseActivityRequest({
    q: 'object:public.orders',
    from: '2026-01-10T00:00:00Z',
    to: '2026-01-12T00:00:00Z',
    limit: 20,
    cursor,
  });
  const grant = grantFor('admin', query.filters, ['DDL']);
  const select =
    'SELECT event_id, event_time, class, engine, resource_id, database_name, object_type, object_name, db_user, remote_host, client_application, command, command_text, failed, error_message FROM ';
  const params = [
    'DDL',
    '2026-01-10',
    '2026-01-11',
    '2026-01-10 00:00:00.000000',
    '2026-01-12 00:00:00.000000',
    'public.orders',
    false,
    '2026-01-11 07:44:00.000000',
    '2026-01-11 07:44:00.000000',
    '2026-01-11 07:44:00.000000',
    'evt-000113',
  ];

  it('compiles a keyset page for DuckDB (no OFFSET)', () => {
    expect(buildDdlTimelineQuery(duck, query, grant)).toEqual({
      text: `${select}${DUCK_SOURCE} WHERE class IN (?) AND dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) AND event_time >= CAST(? AS TIMESTAMPTZ) AND event_time < CAST(? AS TIMESTAMPTZ) AND object_name = ? AND is_aux = ? AND event_time <= CAST(? AS TIMESTAMPTZ) AND (event_time < CAST(? AS TIMESTAMPTZ) OR (event_time = CAST(? AS TIMESTAMPTZ) AND event_id < ?)) ORDER BY event_time DESC, event_id DESC LIMIT 21`,
      params,
      label: 'ddl.timeline',
    });
  });

  it('compiles a keyset page for Athena', () => {
    expect(buildDdlTimelineQuery(athena, query, grant)).toEqual({
      text: `${select}"audit"."activity" WHERE class IN (?) AND dt BETWEEN ? AND ? AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP) AND object_name = ? AND is_aux = ? AND event_time <= CAST(? AS TIMESTAMP) AND (event_time < CAST(? AS TIMESTAMP) OR (event_time = CAST(? AS TIMESTAMP) AND event_id < ?)) ORDER BY event_time DESC, event_id DESC LIMIT 21`,
      params,
      label: 'ddl.timeline',
    });
  });

  it('rejects a cursor from another sort', () => {
    const other = { ...query, sort: { column: 'db_user' as const, direction: 'asc' as const } };
    expect(() => buildListQuery(duck, other, grant)).toThrow(/Invalid cursor/);
  });
});

describe('every builder', () => {
  const query = parseActivityRequest({
    q: 'db:app',
    from: '2026-01-10T00:00:00Z',
    to: '2026-01-11T00:00:00Z',
  });
  const range = query.range;
  const grant = grantFor('app-team', query.filters);
  const all = (d: typeof duck): CompiledQuery[] => [
    buildListQuery(d, query, grant),
    buildEventQuery(d, 'evt-1', range, grant),
    buildCompanionsQuery(
      d,
      { eventId: 'e', resourceId: 'r', sessionId: 's', statementId: '1' },
      range,
      grant,
    ),
    buildCountsQuery(d, query, grant, 'hour'),
    buildTopQuery(d, query, grant, 'users', 10),
    buildDdlTimelineQuery(d, query, grant),
    buildSessionEventsQuery(d, { sessionId: 's' }, range, grant, 100),
    buildSessionSummaryQuery(d, { sessionId: 's', resourceId: 'r' }, range, grant),
    buildAuthBySourceQuery(d, query, grant, 100),
    buildBucketCountQuery(d, query, grant, 'hour', 'auth.over_time'),
    buildOverviewQuery(d, query, grant),
    buildExportQuery(d, query, grant),
    buildCsvExportQuery(d, query, grant, EXPORT_COLUMNS, 'sorted'),
    buildCsvExportQuery(d, query, grant, ['db_user', 'command_text'], 'keyed'),
  ];

  it.each([
    ['duckdb', duck],
    ['athena', athena],
  ] as const)('carries class and dt partition predicates, the time range and the grant (%s)', (_, d) => {
    for (const q of all(d)) {
      expect(q.text, q.label).toContain('WHERE class IN (?');
      expect(q.text, q.label).toMatch(/dt BETWEEN/);
      expect(q.text, q.label).toContain('event_time >= CAST(? AS');
      expect(q.text, q.label).toContain('database_name IN (?)');
      expect(q.params, q.label).toContain('app');
      expect(q.text.split('?').length - 1, q.label).toBe(q.params.length);
    }
  });

  it('puts Athena parameters only after WHERE (Athena rejects ? elsewhere)', () => {
    for (const q of all(athena)) {
      const head = q.text.slice(0, q.text.indexOf(' WHERE '));
      expect(head, q.label).not.toContain('?');
    }
  });

  it('never selects raw or the full statement text for the list', () => {
    const list = buildListQuery(duck, query, grant).text;
    expect(list).not.toMatch(/\braw\b/);
    expect(list).not.toMatch(/, command_text,/);
  });
});

describe('buildCsvExportQuery', () => {
  const query = parseActivityRequest({ from: '2026-01-10T00:00:00Z', to: '2026-01-11T00:00:00Z' });
  const grant = grantFor('auditor', query.filters);

  it.each([
    ['duckdb', duck, "strftime(event_time, '%Y-%m-%dT%H:%M:%S.%fZ')"],
    ['athena', athena, "concat(format_datetime(event_time, 'yyyy-MM-dd''T''HH:mm:ss.SSS'), '000Z')"],
  ] as const)('spells every cell as export text, values still parameters (%s)', (_, d, timestamp) => {
    const q = buildCsvExportQuery(d, query, grant, EXPORT_COLUMNS, 'sorted');
    expect(
      q.text.startsWith(
        "SELECT CASE WHEN event_id = '' THEN NULL WHEN starts_with(event_id, '=') OR starts_with(event_id, '+') OR starts_with(event_id, '-') OR starts_with(event_id, '@') OR starts_with(event_id, chr(9)) OR starts_with(event_id, chr(13)) THEN '''' || event_id ELSE event_id END, ",
      ),
    ).toBe(true);
    expect(q.text).toContain(timestamp);
    expect(q.text).toContain(', row_count, ');
    expect(q.text).toContain(', failed, ');
    expect(q.text).toMatch(/, dt FROM /);
    expect(q.text.endsWith('ORDER BY event_time ASC, event_id ASC')).toBe(true);
    expect(q.params).toEqual(buildExportQuery(d, query, grant).params);
  });

  it.each([
    ['duckdb', duck, 'epoch_us(event_time), hex(event_id)'],
    ['athena', athena, 'CAST(round(to_unixtime(event_time) * 1000000) AS BIGINT), to_hex(to_utf8(event_id))'],
  ] as const)(
    'keyed: the sort key leads each row, the columns asked follow, nothing sorts (%s)',
    (_, d, key) => {
      const q = buildCsvExportQuery(d, query, grant, ['db_user', 'event_time'], 'keyed');
      expect(
        q.text.startsWith(`SELECT ${key}, CASE WHEN db_user = '' THEN NULL WHEN starts_with(db_user, '=')`),
      ).toBe(true);
      expect(q.text).toMatch(/ELSE db_user END, \S.*event_time.* FROM /);
      expect(q.text).not.toContain('ORDER BY');
      expect(q.params).toEqual(buildExportQuery(d, query, grant).params);
    },
  );
});
