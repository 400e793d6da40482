import { describe, expect, it } from 'vitest';
import type { Counts } from '../../lib/client/api';
import { buildMarks, markLabel, moveMark } from './chart-marks';

const counts = (buckets: Counts['buckets']): Counts => ({ grain: 'hour', buckets });
const bucket = (hour: number, c: Counts['buckets'][number]['counts']) => ({
  start: `2026-02-03T${String(hour).padStart(2, '0')}:00:00.000Z`,
  total: Object.values(c).reduce((a, b) => a + (b ?? 0), 0),
  counts: c,
});
// Hours 10 (DDL 2, DML 5), 11 (nothing), 12 (DML 1), 13 (DDL 3, DQL 4).
const DATA = counts([
  bucket(10, { DDL: 2, DML: 5 }),
  bucket(11, {}),
  bucket(12, { DML: 1 }),
  bucket(13, { DDL: 3, DQL: 4 }),
]);
const TO = '2026-02-03T14:00:00.000Z';

describe('buildMarks', () => {
  it('makes one mark per bucket and class with events, stacked in class order', () => {
    // Act
    const marks = buildMarks(DATA, TO);
    // Assess
    expect(marks.map((m) => [m.bucket, m.cls, m.level, m.below])).toEqual([
      [0, 'DDL', 0, 0],
      [0, 'DML', 1, 2],
      [2, 'DML', 0, 0],
      [3, 'DDL', 0, 0],
      [3, 'DQL', 1, 3],
    ]);
    expect(marks[4]?.end).toBe(TO);
    expect(marks[0]?.end).toBe('2026-02-03T11:00:00.000Z');
  });
});

describe('markLabel', () => {
  it('names class, bucket and count', () => {
    const [first] = buildMarks(DATA, TO);
    expect(first && markLabel(first)).toBe('DDL, 2026-02-03 10:00–11:00 UTC, 2 events');
  });

  it('spells the end day when the bucket crosses midnight', () => {
    const data = counts([{ start: '2026-02-03T00:00:00.000Z', total: 1, counts: { DCL: 1 } }]);
    const [mark] = buildMarks(data, '2026-02-04T00:00:00.000Z');
    expect(mark && markLabel(mark)).toBe('DCL, 2026-02-03 00:00–2026-02-04 00:00 UTC, 1 event');
  });
});

describe('moveMark', () => {
  const marks = buildMarks(DATA, TO);

  it('moves right over empty buckets, to the nearest level when the class is missing', () => {
    // DML in bucket 0 (index 1) → bucket 2 has DML → index 2
    expect(moveMark(marks, 1, 'ArrowRight')).toBe(2);
    // DML in bucket 2 → bucket 3 has no DML; nearest level to 0 is DDL
    expect(moveMark(marks, 2, 'ArrowRight')).toBe(3);
    // DQL (level 1) in bucket 3 → nothing further right: stays
    expect(moveMark(marks, 4, 'ArrowRight')).toBe(4);
  });

  it('moves left keeping the class when the bucket has it', () => {
    expect(moveMark(marks, 3, 'ArrowLeft')).toBe(2);
    expect(moveMark(marks, 2, 'ArrowLeft')).toBe(1);
    expect(moveMark(marks, 0, 'ArrowLeft')).toBe(0);
  });

  it('moves up and down within the stack only', () => {
    expect(moveMark(marks, 0, 'ArrowUp')).toBe(1);
    expect(moveMark(marks, 1, 'ArrowUp')).toBe(1);
    expect(moveMark(marks, 1, 'ArrowDown')).toBe(0);
    expect(moveMark(marks, 2, 'ArrowDown')).toBe(2);
  });

  it('jumps to the ends with Home and End', () => {
    expect(moveMark(marks, 2, 'Home')).toBe(0);
    expect(moveMark(marks, 2, 'End')).toBe(4);
  });
});
