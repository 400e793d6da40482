/**
 * Simulated time: a diurnal/weekday activity curve over [from, to), and the per-engine timestamp
 * texts of das-format §4.5. Times are epoch microseconds held in plain numbers (exact below 2^53,
 * i.e. until the year 2255), so no per-event Date objects are needed.
 */

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;

// Relative activity per UTC hour: quiet nights, a morning ramp, busy office hours, an evening tail.
const HOURLY = [
  0.14, 0.12, 0.11, 0.11, 0.12, 0.16, 0.25, 0.45, 0.75, 0.95, 1.0, 1.0, 0.9, 0.95, 1.0, 0.97, 0.9, 0.75, 0.55,
  0.42, 0.33, 0.26, 0.2, 0.16,
];
const WEEKEND = 0.35;

export function hourOfDay(us: number): number {
  return Math.floor((((us % DAY_US) + DAY_US) % DAY_US) / HOUR_US);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function dayOfWeek(us: number): number {
  return (Math.floor(us / DAY_US) + 4) % 7;
}

export function isWeekend(us: number): boolean {
  const d = dayOfWeek(us);
  return d === 0 || d === 6;
}

/** Maps a share u ∈ [0, 1) of the traffic to the time by which that share has happened. */
export class Timeline {
  readonly fromUs: number;
  readonly toUs: number;
  private readonly starts: Float64Array;
  private readonly cumulative: Float64Array;

  constructor(from: Date, to: Date) {
    this.fromUs = from.getTime() * 1000;
    this.toUs = to.getTime() * 1000;
    const starts: number[] = [];
    const cumulative: number[] = [];
    let t = this.fromUs;
    let sum = 0;
    while (t < this.toUs) {
      const next = Math.min(this.toUs, (Math.floor(t / HOUR_US) + 1) * HOUR_US);
      const weight = (HOURLY[hourOfDay(t)] ?? 1) * (isWeekend(t) ? WEEKEND : 1);
      starts.push(t);
      sum += weight * (next - t);
      cumulative.push(sum);
      t = next;
    }
    this.starts = Float64Array.from(starts);
    this.cumulative = Float64Array.from(cumulative.map((c) => c / sum));
  }

  /** The time (µs) at which a share u of the span's activity has elapsed. */
  at(u: number): number {
    const x = Math.min(Math.max(u, 0), 1);
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 1) >= x) hi = mid;
      else lo = mid + 1;
    }
    const start = this.starts[lo] ?? this.fromUs;
    const end = this.starts[lo + 1] ?? this.toUs;
    const c0 = lo === 0 ? 0 : (this.cumulative[lo - 1] ?? 0);
    const c1 = this.cumulative[lo] ?? 1;
    const share = c1 > c0 ? (x - c0) / (c1 - c0) : 0;
    return Math.floor(start + share * (end - start));
  }
}

export type TimestampStyle = 'utc6' | 'bare6' | 'utc7';

/**
 * Formats µs timestamps the way each engine writes them: APG/AMY `…ss.ffffff+00` (utc6), Oracle
 * without offset (bare6), SQL Server with 7 fraction digits (utc7). Caches the date text per day.
 */
export class TimestampFormatter {
  private day = Number.NaN;
  private dayText = '';
  private second = Number.NaN;
  private secondText = '';

  constructor(private readonly style: TimestampStyle) {}

  /** `tick` (0–9) is the 100 ns digit SQL Server adds; ignored by the other styles. */
  format(us: number, tick = 0): string {
    const second = Math.floor(us / 1_000_000);
    if (second !== this.second) {
      this.second = second;
      this.secondText = this.secondPrefix(second);
    }
    const micros = us - second * 1_000_000;
    if (this.style === 'utc7')
      return `${this.secondText}.${String(10_000_000 + micros * 10 + tick).slice(1)}+00`;
    const frac = String(1_000_000 + micros).slice(1);
    return this.style === 'utc6' ? `${this.secondText}.${frac}+00` : `${this.secondText}.${frac}`;
  }

  private secondPrefix(second: number): string {
    const day = Math.floor(second / 86_400);
    if (day !== this.day) {
      this.day = day;
      this.dayText = new Date(day * 86_400_000).toISOString().slice(0, 10);
    }
    const secs = second - day * 86_400;
    const h = Math.floor(secs / 3600);
    const m = Math.floor((secs % 3600) / 60);
    const sec = secs % 60;
    return `${this.dayText} ${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${sec < 10 ? '0' : ''}${sec}`;
  }
}
