import 'server-only';
import type { z } from 'zod';
import type { CompiledQuery, QueryEngine } from '../query/engine';
import type { AccessAction, AccessLog } from './access-log';
import { encodeCursor } from './cursor';
import { type AccessPrincipal, type EffectiveGrant, hasFullText, isVisible } from './grants';
import { maskListRow } from './masking';
import { type ActivityQuery, type ActivityQueryInput, activityQuerySchema, type Sort } from './query-model';
import type { ListRow } from './rows';
import { printSearch } from './search-syntax';

/** What the service functions share: the engine, the access log and a clock (tests pin it). */
export interface ServiceContext {
  readonly engine: QueryEngine;
  readonly accessLog: AccessLog;
  readonly now: () => Date;
  /** Rows one window of the bulk CSV export holds (export-bulk.ts): its temp file and line index. */
  readonly exportWindowRows?: number;
  /** Rows the bulk CSV export sorts at once when a window cannot be merged; memory against speed. */
  readonly exportSliceRows?: number;
  /** Sorted runs a window may have before the engine sorts it instead (a read buffer each). */
  readonly exportMaxRuns?: number;
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
  readonly requestId?: string | undefined;
}

export interface RunStats {
  rows: number;
  bytesScanned: number | null;
}

/** Runs a read and parses its rows; bytes scanned add up across the reads of one request. */
export async function runRows<S extends z.ZodType>(
  ctx: ServiceContext,
  q: CompiledQuery,
  schema: S,
  stats: RunStats,
  options: CallOptions,
): Promise<z.infer<S>[]> {
  const result = await ctx.engine.run(q, options.signal === undefined ? {} : { signal: options.signal });
  if (result.bytesScanned !== null) stats.bytesScanned = (stats.bytesScanned ?? 0) + result.bytesScanned;
  return schema.array().parse(result.rows);
}

/** Re-validates at the service boundary: no caller can skip the limits of the model. */
export function parseQuery(input: ActivityQueryInput): ActivityQuery {
  return activityQuerySchema.parse(input);
}

/** The request as the access log records it: printed filters, range, paging; never row data. */
export function describeQuery(
  query: ActivityQuery,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    q: printSearch(query.filters),
    from: query.range.from,
    to: query.range.to,
    sort: `${query.sort.column}:${query.sort.direction}`,
    limit: query.limit,
    ...(query.cursor === undefined ? {} : { cursor: true }),
    ...extra,
  };
}

export async function logAccess(
  ctx: ServiceContext,
  principal: AccessPrincipal,
  action: AccessAction,
  query: unknown,
  stats: RunStats,
  options: CallOptions,
): Promise<void> {
  await ctx.accessLog.append({
    at: ctx.now().toISOString(),
    user: principal.id ?? principal.name,
    roles: [...principal.roles],
    action,
    query,
    rows: stats.rows,
    bytesScanned: stats.bytesScanned,
    requestId: options.requestId ?? null,
  });
}

export type EventSummary = ListRow & { text_masked: boolean };

/** Re-checks each row against the grant (defence in depth) and applies the text right. */
export function summarise(rows: readonly ListRow[], grant: EffectiveGrant): EventSummary[] {
  return rows.filter((r) => isVisible(grant, r)).map((r) => maskListRow(r, hasFullText(grant, r)));
}

/** Cuts the extra row off and derives the cursor from the last row fetched (before re-checks). */
export function paginate<T extends Record<string, unknown>>(
  rows: T[],
  limit: number,
  sort: Sort,
): { page: T[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, next: rows.length > limit && last !== undefined ? encodeCursor(sort, last) : null };
}
