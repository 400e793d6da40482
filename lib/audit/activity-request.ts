import { z } from 'zod';
import {
  type ActivityQuery,
  activityQuerySchema,
  DEFAULT_LIMIT,
  DEFAULT_RANGE_MS,
  DEFAULT_SORT,
  instantSchema,
  MAX_LIMIT,
  SORT_COLUMNS,
} from './query-model';
import { parseSearch, printSearch } from './search-syntax';

/**
 * Flat request parameters (URL search params, CLI flags) → ActivityQuery. Time is never in the
 * search text: `from` (inclusive) and `to` (exclusive) default to the last 24 hours.
 */
export const activityRequestSchema = z
  .object({
    q: z.string().max(4000).optional(),
    from: instantSchema.optional(),
    to: instantSchema.optional(),
    /** `column` or `column:asc|desc` */
    sort: z
      .string()
      .regex(new RegExp(`^(${SORT_COLUMNS.join('|')})(:(asc|desc))?$`), 'sort is column[:asc|desc]')
      .optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).optional(),
    cursor: z.string().min(1).max(4096).optional(),
  })
  .strip();
export type ActivityRequest = z.input<typeof activityRequestSchema>;

/** Throws ZodError (bad parameters) or SearchSyntaxError (bad `q`). */
export function parseActivityRequest(raw: unknown, now: Date = new Date()): ActivityQuery {
  const req = activityRequestSchema.parse(raw);
  const to = req.to ?? (req.from === undefined ? now.toISOString() : maxIso(req.from, now));
  const from = req.from ?? new Date(Date.parse(to) - DEFAULT_RANGE_MS).toISOString();
  const [column, direction] = (req.sort ?? `${DEFAULT_SORT.column}:${DEFAULT_SORT.direction}`).split(':');
  return activityQuerySchema.parse({
    range: { from, to },
    filters: parseSearch(req.q ?? ''),
    sort: { column, direction: direction ?? (column === 'event_time' ? 'desc' : 'asc') },
    limit: req.limit ?? DEFAULT_LIMIT,
    ...(req.cursor === undefined ? {} : { cursor: req.cursor }),
  });
}

// With only `from` given, the range runs to now (or one day past `from` if that is in the future).
function maxIso(from: string, now: Date): string {
  const fromMs = Date.parse(from);
  return new Date(Math.max(now.getTime(), fromMs + DEFAULT_RANGE_MS)).toISOString();
}

/** Query-string form of a query (for links and the CLI); inverse of parseActivityRequest. */
export function toActivityRequest(query: ActivityQuery): Record<string, string> {
  const q = printSearch(query.filters);
  return {
    ...(q === '' ? {} : { q }),
    from: query.range.from,
    to: query.range.to,
    sort: `${query.sort.column}:${query.sort.direction}`,
    limit: String(query.limit),
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
  };
}
