import { ACTIVITY_CLASSES, type ActivityClass } from '../../lib/audit/schema';
import type { Counts } from '../../lib/client/api';

/** The stacked chart's marks as data: one per (bucket, class) with events, and keyboard moves between them. */

export interface ChartMark {
  /** stable across renders: `<bucket start>|<class>` */
  readonly key: string;
  readonly bucket: number;
  /** position in the bucket's stack, 0 at the bottom */
  readonly level: number;
  readonly cls: ActivityClass;
  readonly count: number;
  readonly start: string;
  readonly end: string;
  /** sum of the counts below this mark in its stack */
  readonly below: number;
}

export function buildMarks(counts: Counts, to: string): ChartMark[] {
  const marks: ChartMark[] = [];
  counts.buckets.forEach((b, bucket) => {
    const end = counts.buckets[bucket + 1]?.start ?? to;
    let below = 0;
    let level = 0;
    for (const cls of ACTIVITY_CLASSES) {
      const count = b.counts[cls] ?? 0;
      if (count === 0) continue;
      marks.push({ key: `${b.start}|${cls}`, bucket, level, cls, count, start: b.start, end, below });
      below += count;
      level += 1;
    }
  });
  return marks;
}

// One formatter for every label: toLocaleString() builds a new one per call (slow over 2,000 marks).
const COUNT = new Intl.NumberFormat('en-US');
const day = (iso: string) => iso.slice(0, 10);
const clock = (iso: string) => iso.slice(11, 16);

/** "DDL, 2026-02-03 12:00–13:00 UTC, 42 events" (the end's date only when it is another day). */
export function markLabel(mark: ChartMark): string {
  const endDay = day(mark.end) === day(mark.start) ? '' : `${day(mark.end)} `;
  const events = `${COUNT.format(mark.count)} ${mark.count === 1 ? 'event' : 'events'}`;
  return `${mark.cls}, ${day(mark.start)} ${clock(mark.start)}–${endDay}${clock(mark.end)} UTC, ${events}`;
}

export type MarkKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End';
export const MARK_KEYS: readonly string[] = [
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'Home',
  'End',
];
export const isMarkKey = (key: string): key is MarkKey => MARK_KEYS.includes(key);

/**
 * Index of the mark a key moves to from `index` (marks in bucket order, bottom to top):
 * left/right go to the nearest bucket with events, keeping the class when it is there (else the
 * nearest level); up/down move within the stack; Home/End jump to the first/last mark.
 */
export function moveMark(marks: readonly ChartMark[], index: number, key: MarkKey): number {
  const current = marks[index];
  if (current === undefined) return 0;
  if (key === 'Home') return 0;
  if (key === 'End') return marks.length - 1;
  if (key === 'ArrowUp' || key === 'ArrowDown') {
    const next = marks[index + (key === 'ArrowUp' ? 1 : -1)];
    return next !== undefined && next.bucket === current.bucket
      ? index + (key === 'ArrowUp' ? 1 : -1)
      : index;
  }
  const step = key === 'ArrowRight' ? 1 : -1;
  let probe = index + step;
  while (marks[probe] !== undefined && marks[probe]?.bucket === current.bucket) probe += step;
  const target = marks[probe]?.bucket;
  if (target === undefined) return index;
  const stack = marks.map((m, i) => ({ m, i })).filter(({ m }) => m.bucket === target);
  const same = stack.find(({ m }) => m.cls === current.cls);
  if (same !== undefined) return same.i;
  const nearest = stack.reduce((best, s) =>
    Math.abs(s.m.level - current.level) < Math.abs(best.m.level - current.level) ? s : best,
  );
  return nearest.i;
}
