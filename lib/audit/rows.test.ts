import { describe, expect, it } from 'vitest';
import { booleanCell, dayCell, normaliseTimestamp, numberCell, toSqlTimestamp } from './rows';

describe('normaliseTimestamp', () => {
  it.each([
    ['2026-01-10 01:02:03.123456+00', '2026-01-10T01:02:03.123456Z'],
    ['2026-01-10 01:02:03+00', '2026-01-10T01:02:03.000000Z'],
    ['2026-01-10 02:02:03.5+01', '2026-01-10T01:02:03.500000Z'],
    ['2026-01-10 01:02:03.123', '2026-01-10T01:02:03.123000Z'],
    ['2026-01-10 01:02:03.123 UTC', '2026-01-10T01:02:03.123000Z'],
    ['2026-01-10T01:02:03.123456789Z', '2026-01-10T01:02:03.123456Z'],
    ['2026-01-09 20:32:03-05:30', '2026-01-10T02:02:03.000000Z'],
  ])('%s → %s', (input, output) => {
    expect(normaliseTimestamp(input)).toBe(output);
  });

  it('rejects text that is not a timestamp', () => {
    expect(normaliseTimestamp('yesterday')).toBeNull();
    expect(() => toSqlTimestamp('nope')).toThrow();
    expect(toSqlTimestamp('2026-01-10T01:02:03.5Z')).toBe('2026-01-10 01:02:03.500000');
  });
});

describe('cells (Athena returns text)', () => {
  it('coerces numbers, booleans and days', () => {
    expect(numberCell.parse('42')).toBe(42);
    expect(numberCell.parse(7n)).toBe(7);
    expect(numberCell.safeParse('').success).toBe(false);
    expect(numberCell.safeParse('x').success).toBe(false);
    expect(booleanCell.parse('true')).toBe(true);
    expect(booleanCell.parse(false)).toBe(false);
    expect(booleanCell.safeParse('yes').success).toBe(false);
    expect(dayCell.parse('2026-01-10')).toBe('2026-01-10');
    expect(dayCell.safeParse('Jan 10').success).toBe(false);
  });
});
