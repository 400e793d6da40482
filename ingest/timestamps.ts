/**
 * DAS timestamps → µs since the epoch (UTC) as bigint, with integer arithmetic only: `Date` drops
 * sub-millisecond digits and reads an offset-less text as local time (das-format.md §4.5). An
 * absent offset means UTC (Oracle's EVENT_TIMESTAMP_UTC); fractions beyond µs are truncated.
 * Accepted: `YYYY-MM-DD[T| ]HH:MM[:SS[.f…]][Z|±hh|±hhmm|±hh:mm]`. A hand-written scanner, not a
 * regular expression: it runs three times per event, millions of times.
 */

export class InvalidTimestampError extends Error {
  constructor(text: string) {
    // The text itself stays out: error messages end up in quarantine documents, unencrypted.
    super(`not a DAS timestamp (${text.length} characters)`);
    this.name = 'InvalidTimestampError';
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The value of `n` ASCII digits at `at`, or -1. */
function digitsAt(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

const isBlank = (c: number) => c === 32 || c === 9;

export function parseDasTimestamp(text: string): bigint {
  let p = 0;
  while (isBlank(text.charCodeAt(p))) p++;
  const year = digitsAt(text, p, 4);
  const month = digitsAt(text, p + 5, 2);
  const day = digitsAt(text, p + 8, 2);
  const hour = digitsAt(text, p + 11, 2);
  const minute = digitsAt(text, p + 14, 2);
  const sep = text.charCodeAt(p + 10);
  if (
    year < 0 ||
    month < 1 ||
    day < 1 ||
    hour < 0 ||
    minute < 0 ||
    text.charCodeAt(p + 4) !== 45 ||
    text.charCodeAt(p + 7) !== 45 ||
    (sep !== 32 && sep !== 84) ||
    text.charCodeAt(p + 13) !== 58
  ) {
    throw new InvalidTimestampError(text);
  }
  p += 16;
  let second = 0;
  let micros = 0;
  if (text.charCodeAt(p) === 58) {
    second = digitsAt(text, p + 1, 2);
    if (second < 0) throw new InvalidTimestampError(text);
    p += 3;
    const dot = text.charCodeAt(p);
    if (dot === 46 || dot === 44) {
      const from = ++p;
      while (text.charCodeAt(p) >= 48 && text.charCodeAt(p) <= 57) p++;
      if (p === from) throw new InvalidTimestampError(text);
      const n = Math.min(p - from, 6);
      micros = digitsAt(text, from, n) * 10 ** (6 - n);
    }
  }
  while (isBlank(text.charCodeAt(p))) p++;
  const offsetMinutes = readOffset(text, p);
  const monthDays = (DAYS_IN_MONTH[month - 1] ?? 0) + (month === 2 && isLeap(year) ? 1 : 0);
  if (day > monthDays || hour > 23 || minute > 59 || second > 59) throw new InvalidTimestampError(text);
  const seconds =
    daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  const total = seconds * 1_000_000 + micros;
  // One BigInt when the float is exact (years ~1685–2255), bigint arithmetic otherwise.
  return Number.isSafeInteger(total) ? BigInt(total) : BigInt(seconds) * 1_000_000n + BigInt(micros);
}

/** Z, ±hh, ±hhmm or ±hh:mm (then only blanks) from `p`; none means UTC. */
function readOffset(text: string, from: number): number {
  let p = from;
  let minutes = 0;
  const c = text.charCodeAt(p);
  if (c === 90 || c === 122) p++;
  else if (c === 43 || c === 45) {
    const hh = digitsAt(text, p + 1, 2);
    p += 3;
    const colon = text.charCodeAt(p) === 58;
    if (colon) p++;
    let mm = 0;
    if (colon || digitsAt(text, p, 1) >= 0) {
      mm = digitsAt(text, p, 2);
      p += 2;
    }
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59) throw new InvalidTimestampError(text);
    minutes = (c === 45 ? -1 : 1) * (hh * 60 + mm);
  }
  while (isBlank(text.charCodeAt(p))) p++;
  if (p !== text.length) throw new InvalidTimestampError(text);
  return minutes;
}

/** Like parseDasTimestamp, but null for null, empty or unreadable text. */
export function parseOptionalTimestamp(text: string | null | undefined): bigint | null {
  if (text === null || text === undefined || text === '') return null;
  try {
    return parseDasTimestamp(text);
  } catch {
    return null;
  }
}
