/** A usage or input problem the CLI reports as one line with a non-zero exit, without a stack. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new CliError(`${name} must be a positive integer, got "${value}"`);
    return n;
  };
}

export function parseIsoDate(name: string) {
  return (value: string): Date => {
    const d = new Date(value);
    if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) {
      throw new CliError(`${name} must be an ISO-8601 date or time, got "${value}"`);
    }
    return d;
  };
}

export function parseNonNegative(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new CliError(`${name} must be a number ≥ 0, got "${value}"`);
    return n;
  };
}

/** `MIN-MAX` (positive integers, MIN ≤ MAX), e.g. `--events-per-record 20-200`. */
export function parseRange(value: string): { min: number; max: number } {
  const m = /^(\d+)-(\d+)$/.exec(value.trim());
  const min = Number(m?.[1]);
  const max = Number(m?.[2]);
  if (!m || min < 1 || max < min || max > 10_000) {
    throw new CliError(`--events-per-record must be MIN-MAX with 1 ≤ MIN ≤ MAX ≤ 10000, got "${value}"`);
  }
  return { min, max };
}
