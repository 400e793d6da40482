import { afterEach, describe, expect, it } from 'vitest';
import { InvalidTimestampError, parseDasTimestamp, parseOptionalTimestamp } from './timestamps';

/** Independent oracle: Date.UTC for the whole milliseconds, plus the sub-millisecond digits. */
const utcMicros = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, us = 0) =>
  BigInt(Date.UTC(y, mo - 1, d, h, mi, s, ms)) * 1000n + BigInt(us);

describe('parseDasTimestamp', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it.each([
    ['Aurora PostgreSQL', '2019-05-24 00:36:54.403455+00', utcMicros(2019, 5, 24, 0, 36, 54, 403, 455)],
    ['Aurora MySQL', '2020-05-22 18:07:12.250221+00', utcMicros(2020, 5, 22, 18, 7, 12, 250, 221)],
    ['Oracle (no offset = UTC)', '2021-01-15 00:15:36.233787', utcMicros(2021, 1, 15, 0, 15, 36, 233, 787)],
    [
      'SQL Server 7 digits (truncated)',
      '2022-10-06 21:24:59.9422268+00',
      utcMicros(2022, 10, 6, 21, 24, 59, 942, 226),
    ],
    ['T separator and Z', '2024-02-29T10:00:00Z', utcMicros(2024, 2, 29, 10, 0, 0, 0)],
    ['+hh:mm', '2024-01-01 05:30:00.000001+05:30', utcMicros(2024, 1, 1, 0, 0, 0, 0, 1)],
    ['+hhmm', '2024-01-01 05:30:00+0530', utcMicros(2024, 1, 1, 0, 0, 0, 0)],
    ['-hh', '2023-12-31 19:00:00.5-05', utcMicros(2024, 1, 1, 0, 0, 0, 500)],
    ['few fraction digits', '2024-01-01 00:00:00.12+00', utcMicros(2024, 1, 1, 0, 0, 0, 120)],
    ['no seconds', '2024-01-01 00:00', utcMicros(2024, 1, 1, 0, 0, 0, 0)],
    ['before the epoch', '1969-12-31 23:59:59.999999+00', -1n],
    ['the epoch', '1970-01-01 00:00:00+00', 0n],
    ['blanks around', ' 2024-01-01 00:00:00 +00 ', utcMicros(2024, 1, 1, 0, 0, 0, 0)],
    ['comma fraction', '2024-01-01 00:00:00,25Z', utcMicros(2024, 1, 1, 0, 0, 0, 250)],
    ['far future', '9999-12-31 23:59:59.999999+00', utcMicros(9999, 12, 31, 23, 59, 59, 999, 999)],
  ])('%s: %s', (_name, text, expected) => {
    // Act
    const micros = parseDasTimestamp(text);
    // Assess
    expect(micros).toBe(expected);
  });

  it('reads the offset-less Oracle form as UTC whatever the process time zone', () => {
    // Prepare: a zone with a non-zero offset, and proof that Date sees it
    process.env.TZ = 'America/New_York';
    expect(new Date(2021, 0, 15).getTimezoneOffset()).toBe(300);
    // Act
    const micros = parseDasTimestamp('2021-01-15 00:15:36.233787');
    // Assess
    expect(micros).toBe(utcMicros(2021, 1, 15, 0, 15, 36, 233, 787));
    expect(new Date(Number(micros / 1000n)).toISOString()).toBe('2021-01-15T00:15:36.233Z');
  });

  it('keeps microsecond order that Date would lose', () => {
    // Act
    const a = parseDasTimestamp('2020-05-22 18:29:57.986399+00');
    const b = parseDasTimestamp('2020-05-22 18:29:57.986467+00');
    // Assess
    expect(b - a).toBe(68n);
  });

  it.each([
    '',
    'yesterday',
    '2024-13-01 00:00:00',
    '2023-02-29 00:00:00',
    '2024-01-32 00:00:00',
    '2024-01-01 24:00:00',
    '2024-01-01 00:60:00',
    '2024-01-01 00:00:00+25',
    '2024-01-01 00:00:00.',
    '2024-01-01',
    '2024-01-01 00:00:00 extra',
    '2024-01-01 00:00:00+05:',
    '2024-01-01 00:00:00+5',
    '2024-01-01 00:00:00+0530x',
    '2024-01-01 00:00:00+053',
    '2024/01/01 00:00:00',
    '24-01-01 00:00:00',
  ])('throws on %j', (text) => {
    // Act / Assess
    expect(() => parseDasTimestamp(text)).toThrow(InvalidTimestampError);
  });
});

describe('parseOptionalTimestamp', () => {
  it('is null for null, empty and unreadable text', () => {
    // Act / Assess
    expect(parseOptionalTimestamp(null)).toBeNull();
    expect(parseOptionalTimestamp(undefined)).toBeNull();
    expect(parseOptionalTimestamp('')).toBeNull();
    expect(parseOptionalTimestamp('garbage')).toBeNull();
    expect(parseOptionalTimestamp('1970-01-01 00:00:01+00')).toBe(1_000_000n);
  });
});
