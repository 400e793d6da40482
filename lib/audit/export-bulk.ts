import type { CsvPart } from '../query/engine';
import type { ExportPart } from './export-stream';
import type { EffectiveGrant } from './grants';
import { buildCsvExportQuery } from './queries';
import type { ActivityQuery, TimeRange } from './query-model';
import type { CallOptions, ServiceContext } from './service-context';

/**
 * The CSV export's bulk path, for an engine that writes CSV itself (DuckDB): one COPY per UTC hour
 * of the range, so each reads one `dt` partition's row groups of that hour and sorts one hour's
 * rows at most, whatever the export's length. The next hour is written while the current one is
 * read. Every cell is made
 * in SQL exactly as the row path makes it (contract-tested byte for byte), and the grant's
 * predicates are in each query; masked text needs the row path (the masker is not SQL).
 */

const SLICE_MS = 3_600_000;
const END_OF_PART = new Uint8Array(0);

/** Whether `exportEvents` may take the bulk path for this grant. */
export function canWriteCsvInEngine(ctx: ServiceContext, grant: EffectiveGrant): boolean {
  return ctx.engine.writeCsv !== undefined && grant.scopes.every((s) => s.fullText);
}

/** [from, to) cut at multiples of `sliceMs` (UTC hours by default, so never across a `dt`). */
export function timeSlices(range: TimeRange, sliceMs = SLICE_MS): TimeRange[] {
  const to = Date.parse(range.to);
  const slices: TimeRange[] = [];
  for (let from = Date.parse(range.from); from < to; ) {
    const end = Math.min(to, (Math.floor(from / sliceMs) + 1) * sliceMs);
    slices.push({ from: new Date(from).toISOString(), to: new Date(end).toISOString() });
    from = end;
  }
  return slices;
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
  const slices = timeSlices(query.range);
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
