import type { CsvPart } from '../query/engine';
import type { ExportPart } from './export-stream';
import type { EffectiveGrant } from './grants';
import { buildBucketCountQuery, buildCsvExportQuery } from './queries';
import type { ActivityQuery, TimeRange } from './query-model';
import { bucketRowSchema } from './rows';
import { type CallOptions, runRows, type ServiceContext } from './service-context';

/**
 * The CSV export's bulk path, for an engine that writes CSV itself (DuckDB). A first read counts
 * the matching rows per UTC hour; consecutive hours are grouped into slices of at most
 * `exportSliceRows` rows (an hour above it is a slice of its own), and each slice is one COPY that
 * reads only its hours' row groups and sorts only its rows: memory follows the slice, not the
 * export's length. The next slice is written while the current one is read. Every cell is made
 * in SQL exactly as the row path makes it (contract-tested byte for byte), and the grant's
 * predicates are in each query; masked text needs the row path (the masker is not SQL).
 */

const HOUR_MS = 3_600_000;
/** Rows one COPY sorts at most (~75 MB of text at the generator's ~1.5 KB a row). */
export const DEFAULT_EXPORT_SLICE_ROWS = 50_000;
const END_OF_PART = new Uint8Array(0);

/** Whether `exportEvents` may take the bulk path for this grant. */
export function canWriteCsvInEngine(ctx: ServiceContext, grant: EffectiveGrant): boolean {
  return ctx.engine.writeCsv !== undefined && grant.scopes.every((s) => s.fullText);
}

/** [from, to) cut at multiples of `sliceMs` (UTC hours by default); the ends stay as given (µs). */
export function timeSlices(range: TimeRange, sliceMs = HOUR_MS): TimeRange[] {
  const to = Date.parse(range.to);
  const slices: TimeRange[] = [];
  for (let from = Date.parse(range.from); from < to; ) {
    const end = Math.min(to, (Math.floor(from / sliceMs) + 1) * sliceMs);
    slices.push({
      from: slices.length === 0 ? range.from : new Date(from).toISOString(),
      to: end === to ? range.to : new Date(end).toISOString(),
    });
    from = end;
  }
  return slices;
}

/**
 * Contiguous slices covering the whole range, cut at UTC hours, each holding at most `maxRows`
 * by the hourly counts. Rows that arrive after counting still fall into some slice.
 */
export function planSlices(
  range: TimeRange,
  hourCounts: readonly { bucket: string; n: number }[],
  maxRows: number,
): TimeRange[] {
  const counts = new Map(hourCounts.map((c) => [Date.parse(c.bucket), c.n]));
  const slices: TimeRange[] = [];
  let current: TimeRange | null = null;
  let rows = 0;
  for (const hour of timeSlices(range)) {
    const n = counts.get(Math.floor(Date.parse(hour.from) / HOUR_MS) * HOUR_MS) ?? 0;
    if (current !== null && rows + n > maxRows) {
      slices.push(current);
      current = null;
      rows = 0;
    }
    current = current === null ? hour : { from: current.from, to: hour.to };
    rows += n;
  }
  if (current !== null) slices.push(current);
  return slices;
}

async function planExport(
  ctx: ServiceContext,
  grant: EffectiveGrant,
  query: ActivityQuery,
  options: CallOptions,
): Promise<TimeRange[]> {
  const q = buildBucketCountQuery(ctx.engine.dialect, query, grant, 'hour', 'export.plan');
  const counts = await runRows(ctx, q, bucketRowSchema, { rows: 0, bytesScanned: null }, options);
  return planSlices(query.range, counts, ctx.exportSliceRows ?? DEFAULT_EXPORT_SLICE_ROWS);
}

export async function* bulkCsvParts(
  ctx: ServiceContext,
  grant: EffectiveGrant,
  query: ActivityQuery,
  options: CallOptions,
): AsyncGenerator<ExportPart> {
  const writeCsv = ctx.engine.writeCsv?.bind(ctx.engine);
  if (writeCsv === undefined) throw new Error('the engine has no CSV writer');
  // Cancels a COPY still running when the reader goes away.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const write = (range: TimeRange): Promise<CsvPart> => {
    const part = writeCsv(buildCsvExportQuery(ctx.engine.dialect, { ...query, range }, grant), {
      signal: stop.signal,
    });
    part.catch(() => undefined); // awaited below; a prefetch must not fail unobserved meanwhile
    return part;
  };
  const slices = await planExport(ctx, grant, query, options);
  let next: Promise<CsvPart> | null = slices[0] === undefined ? null : write(slices[0]);
  let current: CsvPart | null = null;
  try {
    for (let i = 1; next !== null; i++) {
      current = await next;
      const following = slices[i];
      next = following === undefined ? null : write(following);
      for await (const bytes of current.chunks()) yield { bytes, rows: 0 };
      yield { bytes: END_OF_PART, rows: current.rows };
      await current.dispose();
      current = null;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stop.abort();
    await current?.dispose();
    if (next !== null) await next.then((p) => p.dispose()).catch(() => undefined);
  }
}
