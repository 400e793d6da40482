import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AthenaParameterError, MAX_ATHENA_PARAMETER_LENGTH, toAthenaLiteral } from './athena-literal';

const HOSTILE_STRINGS = [
  "O'Brien",
  "''",
  "'; DROP TABLE activity; --",
  "x' OR '1'='1",
  'C:\\temp\\new\\',
  "\\'; SELECT 1; --",
  'line one\nline two\r\n\ttabbed',
  'ünïcödé — 日本語 — 🚀 — \u202Eright-to-left',
  '/* not a comment */ -- nor this',
  '?',
  '"double" `back`',
  '',
];

describe('toAthenaLiteral', () => {
  it('quotes strings and doubles single quotes only', () => {
    // Act / Assess
    expect(toAthenaLiteral("O'Brien")).toBe("'O''Brien'");
    expect(toAthenaLiteral("'; DROP TABLE activity; --")).toBe("'''; DROP TABLE activity; --'");
    expect(toAthenaLiteral('a\\b')).toBe("'a\\b'");
    expect(toAthenaLiteral('')).toBe("''");
  });

  it('renders dates as UTC TIMESTAMP literals with microseconds', () => {
    // Prepare
    const date = new Date(Date.UTC(2026, 10, 25, 7, 5, 9, 42));
    // Act / Assess
    expect(toAthenaLiteral(date)).toBe("TIMESTAMP '2026-11-25 07:05:09.042000'");
    expect(toAthenaLiteral(new Date(0))).toBe("TIMESTAMP '1970-01-01 00:00:00.000000'");
  });

  it('renders numbers, bigints, booleans and null as plain SQL', () => {
    // Act / Assess
    expect(toAthenaLiteral(42)).toBe('42');
    expect(toAthenaLiteral(-7)).toBe('-7');
    expect(toAthenaLiteral(1.5)).toBe('1.5');
    expect(toAthenaLiteral(9007199254740993n)).toBe('9007199254740993');
    expect(toAthenaLiteral(true)).toBe('true');
    expect(toAthenaLiteral(false)).toBe('false');
    expect(toAthenaLiteral(null)).toBe('NULL');
  });

  it('rejects values Athena cannot take, without echoing them', () => {
    // Act / Assess
    expect(() => toAthenaLiteral(Number.NaN)).toThrow(AthenaParameterError);
    expect(() => toAthenaLiteral(Number.POSITIVE_INFINITY)).toThrow(AthenaParameterError);
    expect(() => toAthenaLiteral(new Date(Number.NaN))).toThrow(AthenaParameterError);
    expect(() => toAthenaLiteral(new Date(Date.UTC(10000, 0, 1)))).toThrow(AthenaParameterError);
    expect(() => toAthenaLiteral('secret\u0000tail')).toThrow(/NUL/);
    expect(() => toAthenaLiteral('secret\u0000tail')).not.toThrow(/secret/);
    expect(() => toAthenaLiteral('x'.repeat(MAX_ATHENA_PARAMETER_LENGTH))).toThrow(AthenaParameterError);
    expect(toAthenaLiteral('x'.repeat(MAX_ATHENA_PARAMETER_LENGTH - 2))).toHaveLength(
      MAX_ATHENA_PARAMETER_LENGTH,
    );
  });
});

// DuckDB shares Trino's string-literal rules (doubled quote, literal backslash), so evaluating the
// rendered text proves each hostile value comes back as exactly one unchanged value.
describe('toAthenaLiteral as evaluated SQL', () => {
  let connection: DuckDBConnection;
  beforeAll(async () => {
    connection = await (await DuckDBInstance.create(':memory:')).connect();
  });
  afterAll(() => connection.closeSync());

  it.each(HOSTILE_STRINGS)('round-trips hostile string %j', async (value) => {
    // Act
    const reader = await connection.runAndReadAll(`SELECT ${toAthenaLiteral(value)} AS v, 1 AS one`);
    // Assess
    expect(reader.getRowObjectsJson()).toEqual([{ v: value, one: 1 }]);
  });

  it('round-trips timestamps, numbers and booleans', async () => {
    // Prepare
    const date = new Date(Date.UTC(2026, 1, 3, 4, 5, 6, 789));
    const values = [
      toAthenaLiteral(date),
      toAthenaLiteral(-12.25),
      toAthenaLiteral(123n),
      toAthenaLiteral(true),
    ];
    // Act
    const reader = await connection.runAndReadAll(`SELECT ${values.join(', ')}`);
    // Assess
    expect(reader.getRows()[0]?.map(String)).toEqual(['2026-02-03 04:05:06.789', '-12.25', '123', 'true']);
  });
});
