import { describe, expect, it } from 'vitest';
import { isWeekend, Timeline, TimestampFormatter } from './timeline';

const us = (iso: string) => Date.parse(iso) * 1000;

describe('TimestampFormatter', () => {
  it('writes each engine style of das-format §4.5', () => {
    const t = us('2022-10-06T21:24:59.942Z') + 226;
    expect(new TimestampFormatter('utc6').format(t)).toBe('2022-10-06 21:24:59.942226+00');
    expect(new TimestampFormatter('bare6').format(t)).toBe('2022-10-06 21:24:59.942226');
    expect(new TimestampFormatter('utc7').format(t, 8)).toBe('2022-10-06 21:24:59.9422268+00');
  });

  it('stays right across second and day boundaries (cached prefixes)', () => {
    const f = new TimestampFormatter('utc6');
    expect(f.format(us('2024-02-28T23:59:59.999Z') + 999)).toBe('2024-02-28 23:59:59.999999+00');
    expect(f.format(us('2024-02-29T00:00:00.000Z'))).toBe('2024-02-29 00:00:00.000000+00');
    expect(f.format(us('2024-02-29T00:00:00.000Z') + 1)).toBe('2024-02-29 00:00:00.000001+00');
  });
});

describe('Timeline', () => {
  const from = new Date('2024-05-06T00:00:00Z'); // a Monday
  const to = new Date('2024-05-13T00:00:00Z');
  const timeline = new Timeline(from, to);

  it('maps shares of activity into [from, to), monotonically', () => {
    const points = Array.from({ length: 101 }, (_, i) => timeline.at(i / 100));
    expect(points[0]).toBe(from.getTime() * 1000);
    expect(Math.max(...points)).toBeLessThanOrEqual(to.getTime() * 1000);
    expect(points).toEqual([...points].sort((a, b) => a - b));
  });

  it('puts less activity into weekends and nights', () => {
    const weekdayShare = 5 / 7;
    const saturday = timeline.at(0.99);
    expect(isWeekend(saturday)).toBe(true);
    // Five weekdays carry clearly more than 5/7 of the traffic.
    const endOfFriday = us('2024-05-11T00:00:00Z');
    const share =
      Array.from({ length: 1000 }, (_, i) => timeline.at(i / 1000)).filter((t) => t < endOfFriday).length /
      1000;
    expect(share).toBeGreaterThan(weekdayShare + 0.08);
    const mondayNight = timeline.at(0.005);
    expect(new Date(mondayNight / 1000).getUTCHours()).toBeLessThan(8);
  });
});
