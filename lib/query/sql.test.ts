import { describe, expect, it } from 'vitest';
import { athenaDialect, duckdbDialect } from './dialect';
import { and, compile, ident, int, join, list, or, sql } from './sql';

describe('sql', () => {
  it('turns every interpolated value into a placeholder', () => {
    // Prepare
    const user = "alice' OR 1=1 --";
    // Act
    const q = sql`SELECT * FROM t WHERE db_user = ${user} AND failed = ${true}`;
    // Assess
    expect(q.text).toBe('SELECT * FROM t WHERE db_user = ? AND failed = ?');
    expect(q.params).toEqual([user, true]);
  });

  it('inlines nested fragments with their params in order', () => {
    const inner = sql`a = ${1} AND b IN (${list(['x', 'y'])})`;
    const q = sql`SELECT ${2} WHERE ${inner} OR c = ${3}`;
    expect(q.text).toBe('SELECT ? WHERE a = ? AND b IN (?, ?) OR c = ?');
    expect(q.params).toEqual([2, 1, 'x', 'y', 3]);
  });

  it('accepts only storage-contract identifiers', () => {
    expect(ident('db_user').text).toBe('db_user');
    expect(ident('dt').text).toBe('dt');
    expect(() => ident('db_user; DROP TABLE x')).toThrow(/identifier not allowed/);
    expect(() => ident('nope')).toThrow(/identifier not allowed/);
  });

  it('renders only safe integers as literals', () => {
    expect(int(101).text).toBe('101');
    expect(() => int(1.5)).toThrow();
    expect(() => int(Number.NaN)).toThrow();
  });

  it('parenthesises OR and keeps AND flat', () => {
    const q = and([sql`a = ${1}`, or([sql`b = ${2}`, sql`c = ${3}`])]);
    expect(q.text).toBe('a = ? AND (b = ? OR c = ?)');
    expect(and([]).text).toBe('TRUE');
    expect(or([]).text).toBe('FALSE');
    expect(join([sql`x`, sql`${1}`], ' + ').text).toBe('x + ?');
  });

  it('compiles to a CompiledQuery with a label', () => {
    expect(compile(sql`SELECT ${1}`, 'probe')).toEqual({ text: 'SELECT ?', params: [1], label: 'probe' });
  });
});

describe('dialects', () => {
  it('spell the activity source per engine, quoting the store path', () => {
    expect(duckdbDialect({ storeRoot: "/data/it's/" }).activitySource().text).toBe(
      "read_parquet('/data/it''s/activity/class=*/dt=*/*.parquet', hive_partitioning = true)",
    );
    expect(athenaDialect({ database: 'audit', table: 'activity' }).activitySource().text).toBe(
      '"audit"."activity"',
    );
    expect(duckdbDialect({ storeRoot: '/s', unionByName: true }).activitySource().text).toBe(
      "read_parquet('/s/activity/class=*/dt=*/*.parquet', hive_partitioning = true, union_by_name = true)",
    );
  });

  it('refuse Athena names outside [A-Za-z0-9_]', () => {
    expect(() => athenaDialect({ database: 'a"; DROP', table: 'x' })).toThrow();
  });

  it('type the dt partition predicate per engine', () => {
    const duck = duckdbDialect({ storeRoot: '/s' }).dtBetween('2026-01-01', '2026-01-02');
    const athena = athenaDialect({ database: 'd', table: 't' }).dtBetween('2026-01-01', '2026-01-02');
    expect(duck.text).toBe('dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)');
    expect(athena.text).toBe('dt BETWEEN ? AND ?');
    expect(athena.params).toEqual(['2026-01-01', '2026-01-02']);
  });

  it('bucket time without parameters (Athena allows ? only in WHERE)', () => {
    const athena = athenaDialect({ database: 'd', table: 't' });
    const duck = duckdbDialect({ storeRoot: '/s' });
    expect(athena.timeBucket('5 minutes', sql`event_time`).text).toBe(
      "date_add('minute', -(minute(event_time) % 5), date_trunc('minute', event_time))",
    );
    expect(athena.timeBucket('day', sql`event_time`).text).toBe("date_trunc('day', event_time)");
    expect(duck.timeBucket('6 hours', sql`event_time`).text).toBe(
      "time_bucket(INTERVAL '6 hours', event_time)",
    );
    expect(athena.timeBucket('hour', sql`event_time`).params).toEqual([]);
  });

  it('match case-insensitively with an escape character in both engines', () => {
    expect(duckdbDialect({ storeRoot: '/s' }).ilike(sql`command_text`, '%a%').text).toBe(
      "command_text ILIKE ? ESCAPE '\\'",
    );
    expect(athenaDialect({ database: 'd', table: 't' }).ilike(sql`command_text`, '%a%').text).toBe(
      "lower(command_text) LIKE lower(?) ESCAPE '\\'",
    );
  });
});
