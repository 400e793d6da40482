import { indexCsvRuns, mergeCsvRuns } from '../query/csv-runs';
import type { CsvPart } from '../query/engine';
import type { ExportPart } from './export-stream';
import type { EffectiveGrant } from './grants';
import { buildBucketCountQuery, buildCsvExportQuery } from './queries';
import type { ActivityQuery, TimeRange } from './query-model';
import { bucketRowSchema } from './rows';
import { type CallOptions, runRows, type ServiceContext } from './service-context';

/**
 * The CSV export's bulk path, for an engine that writes CSV itself (DuckDB). A first read counts
 * the matching rows per UTC hour; consecutive hours are grouped into windows of at most
 * `exportWindowRows` rows. Each window is one unsorted COPY, every row led by its sort key; the
 * files are written sorted, so that output is a few ascending runs, which query/csv-runs.ts checks
 * and merges into (event_time, event_id) order without the engine sorting anything: memory is
 * the engine's scan plus one read buffer per run, whatever the export's length. The next window
 * is written while the current one is merged. A window whose output is not a few runs (a store
 * whose files are not sorted) is sorted by the engine instead, in slices of at most
 * `exportSliceRows` rows. Every cell is made in SQL exactly as the row path makes it
 * (contract-tested byte for byte), and the grant's predicates are in each query; masked text needs
 * the row path (the masker is not SQL).
 */

const HOUR_MS = 3_600_000;
/** Rows one keyed COPY writes at most: the merge's line index is 20 bytes a row (~5 MB). */
export const DEFAULT_EXPORT_WINDOW_ROWS = 250_000;
/** Rows one sorting COPY sorts at most, when a window cannot be merged (~75 MB at ~1.5 KB a row). */
export const DEFAULT_EXPORT_SLICE_ROWS = 50_000;
/** Runs one window may have before the engine sorts it instead (a read buffer each). */
export const DEFAULT_EXPORT_MAX_RUNS = 4096;
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

async function hourCounts(
  ctx: ServiceContext,
  grant: EffectiveGrant,
  query: ActivityQuery,
  options: CallOptions,
): Promise<{ bucket: string; n: number }[]> {
  const q = buildBucketCountQuery(ctx.engine.dialect, query, grant, 'hour', 'export.plan');
  return runRows(ctx, q, bucketRowSchema, { rows: 0, bytesScanned: null }, options);
}

/** Exactly the part's bytes: a sorting COPY's file as written. */
async function* partBytes(part: CsvPart): AsyncGenerator<ExportPart> {
  for await (const bytes of part.chunks()) yield { bytes, rows: 0 };
  yield { bytes: END_OF_PART, rows: part.rows };
}

export async function* bulkCsvParts(
  ctx: ServiceContext,
  grant: EffectiveGrant,
  query: ActivityQuery,
  columns: readonly string[],
  options: CallOptions,
): AsyncGenerator<ExportPart> {
  const writeCsv = ctx.engine.writeCsv?.bind(ctx.engine);
  if (writeCsv === undefined) throw new Error('the engine has no CSV writer');
  // Cancels a COPY still running when the reader goes away.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const write = (range: TimeRange, order: 'sorted' | 'keyed'): Promise<CsvPart> => {
    const q = buildCsvExportQuery(ctx.engine.dialect, { ...query, range }, grant, columns, order);
    const part = writeCsv(q, { signal: stop.signal });
    part.catch(() => undefined); // awaited below; a prefetch must not fail unobserved meanwhile
    return part;
  };
  const counts = await hourCounts(ctx, grant, query, options);
  const windows = planSlices(query.range, counts, ctx.exportWindowRows ?? DEFAULT_EXPORT_WINDOW_ROWS);
  const pending = new Set<Promise<CsvPart>>();
  const track = (p: Promise<CsvPart>): Promise<CsvPart> => {
    pending.add(p);
    return p;
  };
  const settle = async (p: Promise<CsvPart>): Promise<CsvPart> => {
    try {
      return await p;
    } finally {
      pending.delete(p);
    }
  };
  try {
    let next: Promise<CsvPart> | null = null;
    for (const [w, window] of windows.entries()) {
      const part = await settle(next ?? track(write(window, 'keyed')));
      const following = windows[w + 1];
      next = following === undefined ? null : track(write(following, 'keyed'));
      try {
        const runs = await indexCsvRuns(part.file, {
          maxRuns: ctx.exportMaxRuns ?? DEFAULT_EXPORT_MAX_RUNS,
          expectedRows: part.rows,
        });
        if (runs.ok && runs.index.rows === part.rows) {
          for await (const bytes of mergeCsvRuns(part.file, runs.index, { signal: stop.signal })) {
            yield { bytes, rows: 0 };
          }
          yield { bytes: END_OF_PART, rows: part.rows };
          continue;
        }
      } finally {
        await part.dispose();
      }
      // Not a few sorted runs: the engine sorts this window, a slice at a time.
      for (const slice of planSlices(window, counts, ctx.exportSliceRows ?? DEFAULT_EXPORT_SLICE_ROWS)) {
        const sorted = await settle(track(write(slice, 'sorted')));
        try {
          yield* partBytes(sorted);
        } finally {
          await sorted.dispose();
        }
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stop.abort();
    await Promise.all([...pending].map((p) => p.then((part) => part.dispose()).catch(() => undefined)));
  }
}
