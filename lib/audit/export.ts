import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { bulkCsvParts, canWriteCsvInEngine } from './export-bulk';
import { type ExportPart, type ExportTotals, streamParts } from './export-stream';
import type { AccessPrincipal, EffectiveGrant } from './grants';
import { hasFullText, isVisible, resolveGrant } from './grants';
import { maskEventRow } from './masking';
import { buildExportQuery, EXPORT_COLUMNS } from './queries';
import type { ActivityQuery, ActivityQueryInput } from './query-model';
import { eventRowSchema } from './rows';
import {
  type CallOptions,
  describeQuery,
  logAccess,
  parseQuery,
  type ServiceContext,
} from './service-context';

/**
 * Exports: CSV (RFC 4180, UTF-8, CRLF, header = storage column names) or NDJSON, streamed with
 * backpressure (a chunk is produced only when the reader pulls), no row cap, and a manifest with
 * the row count and the SHA-256 of exactly the bytes sent.
 */

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * What a CSV export carries unless asked: every column but `raw`. The original event JSON repeats
 * the other cells, is two thirds of a row's bytes and is unreadable in a spreadsheet; it stays in
 * the store, in NDJSON exports and in `columns=all`.
 */
export const CSV_DEFAULT_COLUMNS: readonly string[] = EXPORT_COLUMNS.filter((c) => c !== 'raw');

const KNOWN_COLUMNS = new Set(EXPORT_COLUMNS);

/** `all`, or storage column names in the order wanted (each at most once). */
export const exportColumnsSchema = z
  .union([z.literal('all'), z.array(z.string()).min(1, 'name at least one column')])
  .superRefine((columns, ctx) => {
    if (columns === 'all') return;
    const seen = new Set<string>();
    for (const name of columns) {
      if (!KNOWN_COLUMNS.has(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown column "${name}" (columns: ${EXPORT_COLUMNS.join(', ')}, or all)`,
        });
      } else if (seen.has(name)) {
        ctx.addIssue({ code: 'custom', message: `column "${name}" is named twice` });
      }
      seen.add(name);
    }
  });

/** The `columns` parameter as typed (API, CLI): `all` or names separated by commas. */
export function parseColumnsParam(text: string | undefined): 'all' | string[] | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  return trimmed === 'all' ? 'all' : trimmed.split(',').map((c) => c.trim());
}

export const exportInputSchema = z.object({
  query: z.custom<ActivityQueryInput>((v) => typeof v === 'object' && v !== null),
  format: z.enum(EXPORT_FORMATS).default('csv'),
  /** Default: CSV_DEFAULT_COLUMNS for CSV, every column for NDJSON (a machine format). */
  columns: exportColumnsSchema.optional(),
});

export type ExportInput = z.input<typeof exportInputSchema>;

function exportColumns(
  format: ExportFormat,
  columns: 'all' | readonly string[] | undefined,
): readonly string[] {
  if (columns === 'all') return EXPORT_COLUMNS;
  return columns ?? (format === 'csv' ? CSV_DEFAULT_COLUMNS : EXPORT_COLUMNS);
}

export type ExportCell = string | number | boolean | null;
export type ExportRecord = Readonly<Record<string, ExportCell>>;

export type { ExportTotals } from './export-stream';

export interface ExportManifest extends ExportTotals {
  requester: string;
  roles: readonly string[];
  format: ExportFormat;
  /** printed filters, range and sort */
  query: Record<string, unknown>;
  columns: readonly string[];
  startedAt: string;
  finishedAt: string;
}

export interface ExportHandle {
  readonly body: ReadableStream<Uint8Array>;
  /** Settles when the body has been read to the end (or cancelled). */
  readonly manifest: Promise<ExportManifest>;
  readonly contentType: string;
  readonly fileName: string;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** Spreadsheet formula injection: a text cell starting with = + - @ TAB or CR gets a leading '. */
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function csvCell(value: ExportCell): string {
  if (value === null) return '';
  if (typeof value === 'string') return neutraliseCell(value);
  return String(value);
}

// csv-stringify quotes a field holding the whole record delimiter (CRLF) but not a lone CR or LF;
// RFC 4180 needs both quoted (multi-line statements are common). '#' is quoted as DuckDB's CSV
// writer does (the bulk path; some readers take a leading # for a comment): one CSV either way.
const CSV_OPTIONS = { record_delimiter: 'windows', quoted_match: /[\r\n#]/ } as const;

const BATCH_ROWS = 500;

function encodeBatch(
  format: ExportFormat,
  columns: readonly string[],
  rows: readonly ExportRecord[],
): string {
  if (format === 'ndjson') {
    return rows
      .map((r) => `${JSON.stringify(Object.fromEntries(columns.map((c) => [c, r[c] ?? null])))}\n`)
      .join('');
  }
  return stringify(
    rows.map((r) => columns.map((c) => csvCell(r[c] ?? null))),
    CSV_OPTIONS,
  );
}

/** Encodes records as a pull-driven byte stream; `totals` settles at the end or on cancel. */
export function encodeExport(
  records: AsyncIterable<ExportRecord>,
  format: ExportFormat,
  columns: readonly string[],
): { body: ReadableStream<Uint8Array>; totals: Promise<ExportTotals> } {
  return streamParts(format === 'csv' ? csvHeader(columns) : null, encodeBatches(records, format, columns));
}

const encoder = new TextEncoder();

function csvHeader(columns: readonly string[]): Uint8Array {
  return encoder.encode(stringify([[...columns]], CSV_OPTIONS));
}

async function* encodeBatches(
  records: AsyncIterable<ExportRecord>,
  format: ExportFormat,
  columns: readonly string[],
): AsyncGenerator<ExportPart> {
  const part = (rows: ExportRecord[]): ExportPart => ({
    bytes: encoder.encode(encodeBatch(format, columns, rows)),
    rows: rows.length,
  });
  let batch: ExportRecord[] = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length === BATCH_ROWS) {
      yield part(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield part(batch);
}

async function* exportRecords(
  ctx: ServiceContext,
  grant: EffectiveGrant,
  query: ActivityQuery,
  options: CallOptions,
): AsyncIterable<ExportRecord> {
  const q = buildExportQuery(ctx.engine.dialect, query, grant);
  for await (const raw of ctx.engine.stream(
    q,
    options.signal === undefined ? {} : { signal: options.signal },
  )) {
    const row = eventRowSchema.parse(raw);
    if (!isVisible(grant, row)) continue;
    const { text_masked: _masked, ...masked } = maskEventRow(row, hasFullText(grant, row));
    yield masked;
  }
}

async function* nothing(): AsyncIterable<never> {}

/** The bulk path when the engine writes CSV and no text is masked; rows through JS otherwise. */
function streamExport(
  ctx: ServiceContext,
  grant: EffectiveGrant | null,
  query: ActivityQuery,
  format: ExportFormat,
  columns: readonly string[],
  options: CallOptions,
): { body: ReadableStream<Uint8Array>; totals: Promise<ExportTotals> } {
  if (grant === null) return encodeExport(nothing(), format, columns);
  if (format === 'csv' && canWriteCsvInEngine(ctx, grant)) {
    return streamParts(csvHeader(columns), bulkCsvParts(ctx, grant, query, columns, options));
  }
  return encodeExport(exportRecords(ctx, grant, query, options), format, columns);
}

/** Resolves the grant up front (403 before any byte is sent), then streams; logs when it ends. */
export async function exportEvents(
  ctx: ServiceContext,
  principal: AccessPrincipal,
  input: ExportInput,
  options: CallOptions = {},
): Promise<ExportHandle> {
  const parsed = exportInputSchema.parse(input);
  const { format } = parsed;
  const columns = exportColumns(format, parsed.columns);
  const query = parseQuery(parsed.query);
  const grant = resolveGrant(principal, query.filters, { purpose: 'export' });
  const startedAt = ctx.now().toISOString();
  const { body, totals } = streamExport(ctx, grant, query, format, columns, options);
  const toManifest = (t: ExportTotals): ExportManifest => ({
    ...t,
    requester: principal.id ?? principal.name,
    roles: [...principal.roles],
    format,
    query: describeQuery(query),
    columns,
    startedAt,
    finishedAt: ctx.now().toISOString(),
  });
  const log = (m: Pick<ExportManifest, 'sha256' | 'complete' | 'rowCount'>) =>
    logAccess(
      ctx,
      principal,
      'export',
      { ...describeQuery(query), format, columns, sha256: m.sha256, complete: m.complete },
      { rows: m.rowCount, bytesScanned: null },
      options,
    );
  const manifest = totals.then(
    async (t) => {
      const m = toManifest(t);
      await log(m);
      return m;
    },
    async (err: unknown) => {
      await log({ sha256: '', complete: false, rowCount: 0 });
      throw err;
    },
  );
  // A caller that never awaits the manifest must not turn a failed export into an unhandled rejection.
  manifest.catch(() => undefined);
  const day = (iso: string) => iso.slice(0, 10);
  return {
    body,
    manifest,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    fileName: `dasboard-${day(query.range.from)}-${day(query.range.to)}.${format === 'csv' ? 'csv' : 'ndjson'}`,
  };
}
