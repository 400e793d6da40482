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
