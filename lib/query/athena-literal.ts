import type { QueryParam } from './engine';

/** Athena rejects an ExecutionParameters member longer than this (API length constraint). */
export const MAX_ATHENA_PARAMETER_LENGTH = 1024;

/** A value that cannot be sent to Athena as an execution parameter. Never carries the value itself. */
export class AthenaParameterError extends Error {
  constructor(reason: string) {
    super(`Cannot render Athena parameter: ${reason}`);
    this.name = 'AthenaParameterError';
  }
}

/**
 * Renders one bind value as the SQL literal text Athena expects in `ExecutionParameters`.
 * Athena splices these in as literals, not typed values, so a string must be a quoted SQL string
 * and a Date a TIMESTAMP literal; every value goes through here and nowhere else.
 */
export function toAthenaLiteral(value: QueryParam): string {
  const text = renderLiteral(value);
  if (text.length > MAX_ATHENA_PARAMETER_LENGTH) {
    throw new AthenaParameterError(`longer than ${MAX_ATHENA_PARAMETER_LENGTH} characters`);
  }
  return text;
}

function renderLiteral(value: QueryParam): string {
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'string':
      return renderString(value);
    case 'bigint':
      return value.toString();
    case 'number':
      return renderNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return renderTimestamp(value);
  }
}

// Trino/ANSI strings: the only escape is a doubled quote; a backslash is an ordinary character.
// NUL is refused because Athena's parser and the Hive/Parquet readers treat it inconsistently.
function renderString(value: string): string {
  if (value.includes('\u0000')) throw new AthenaParameterError('string contains NUL');
  return `'${value.replaceAll("'", "''")}'`;
}

function renderNumber(value: number): string {
  if (!Number.isFinite(value)) throw new AthenaParameterError('number is not finite');
  // String() gives `1e+21` / `1e-7` for extremes: both are valid Trino DOUBLE literals.
  return String(value);
}

// UTC, microsecond precision: TIMESTAMP 'YYYY-MM-DD HH:MM:SS.ffffff' (a Date only carries ms).
function renderTimestamp(value: Date): string {
  const ms = value.getTime();
  if (Number.isNaN(ms)) throw new AthenaParameterError('invalid date');
  const year = value.getUTCFullYear();
  if (year < 1 || year > 9999) throw new AthenaParameterError('date outside years 1–9999');
  const iso = value.toISOString();
  return `TIMESTAMP '${iso.slice(0, 10)} ${iso.slice(11, 23)}000'`;
}
