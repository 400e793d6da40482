import { z } from 'zod';
import { ACTIVITY_CLASSES, ENGINES } from './schema';

/**
 * The typed query model every read takes: a bounded time range, field filters (with `*`
 * wildcards and negation), free text, sort, limit and a keyset cursor. Pure module: the search
 * syntax, the API and the browser share it.
 */

export const FILTER_FIELDS = [
  'class',
  'engine',
  'cluster',
  'db',
  'user',
  'object',
  'command',
  'app',
  'host',
  'session',
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** Storage column each search field matches (`cluster` is the resource id). */
export const FIELD_COLUMNS = {
  class: 'class',
  engine: 'engine',
  cluster: 'resource_id',
  db: 'database_name',
  user: 'db_user',
  object: 'object_name',
  command: 'command',
  app: 'client_application',
  host: 'remote_host',
  session: 'session_id',
} as const satisfies Record<FilterField, string>;

export const MAX_RANGE_DAYS = 400;
export const DEFAULT_RANGE_MS = 24 * 3600_000;
export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

const filterValue = z.string().min(1, 'empty value').max(256);

/** One `[-]field:a,b` term: any of `values` (OR), negated as a whole. */
export const fieldFilterSchema = z
  .object({ values: z.array(filterValue).min(1).max(50), negate: z.boolean() })
  .strict();
export type FieldFilter = z.infer<typeof fieldFilterSchema>;

const terms = z.array(fieldFilterSchema).min(1).max(10).optional();

/** `*` matches any run of characters; everything else is literal. */
export function wildcardRegExp(pattern: string, flags = ''): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, `s${flags}`);
}

export function hasWildcard(value: string): boolean {
  return value.includes('*');
}

/** Values of a closed vocabulary (class, engine) that a term's patterns match. */
export function expandVocabulary<T extends string>(values: readonly string[], vocabulary: readonly T[]): T[] {
  return vocabulary.filter((word) => values.some((v) => wildcardRegExp(v, 'i').test(word)));
}

function checkVocabulary(
  field: 'class' | 'engine',
  vocabulary: readonly string[],
  filters: readonly FieldFilter[] | undefined,
  ctx: z.RefinementCtx,
): void {
  filters?.forEach((term, t) => {
    term.values.forEach((value, v) => {
      if (expandVocabulary([value], vocabulary).length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: [field, t, 'values', v],
          message: `unknown ${field}: ${value}`,
        });
      }
    });
  });
}

export const searchFiltersSchema = z
  .object({
    class: terms,
    engine: terms,
    cluster: terms,
    db: terms,
    user: terms,
    object: terms,
    command: terms,
    app: terms,
    host: terms,
    session: terms,
    failed: z.boolean().optional(),
    /** Statements only (false) unless given; 'any' includes AUX companions. */
    aux: z.union([z.boolean(), z.literal('any')]).optional(),
    /** Words matched (case-insensitively, AND-ed) against the statement text. */
    text: z.array(z.string().min(1, 'empty value').max(500)).min(1).max(20).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    checkVocabulary('class', ACTIVITY_CLASSES, f.class, ctx);
    checkVocabulary('engine', ENGINES, f.engine, ctx);
  });
export type SearchFilters = z.infer<typeof searchFiltersSchema>;

/** Columns a list can be sorted on: non-null, so keyset comparisons never meet NULL. */
export const SORT_COLUMNS = [
  'event_time',
  'class',
  'engine',
  'resource_id',
  'database_name',
  'db_user',
  'command',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

export const sortSchema = z
  .object({ column: z.enum(SORT_COLUMNS), direction: z.enum(['asc', 'desc']) })
  .strict();
export type Sort = z.infer<typeof sortSchema>;
export const DEFAULT_SORT: Sort = { column: 'event_time', direction: 'desc' };

/** ISO-8601 instant with an offset (or a bare UTC date), normalised to `toISOString()`. */
export const instantSchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((s) => new Date(s).toISOString());

export const timeRangeSchema = z
  .object({ from: instantSchema, to: instantSchema })
  .strict()
  .superRefine((r, ctx) => {
    const span = Date.parse(r.to) - Date.parse(r.from);
    if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from`' });
    if (span > MAX_RANGE_DAYS * 86_400_000) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the range may span at most ${MAX_RANGE_DAYS} days`,
      });
    }
  });
export type TimeRange = z.infer<typeof timeRangeSchema>;

export const activityQuerySchema = z
  .object({
    range: timeRangeSchema,
    filters: searchFiltersSchema.default({}),
    sort: sortSchema.default(DEFAULT_SORT),
    limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
    /** Opaque keyset cursor from a previous page's `nextCursor`. */
    cursor: z.string().min(1).max(4096).optional(),
  })
  .strict();
export type ActivityQuery = z.infer<typeof activityQuerySchema>;
export type ActivityQueryInput = z.input<typeof activityQuerySchema>;

/** Inclusive start and exclusive end in epoch milliseconds. */
export function rangeMillis(range: TimeRange): { from: number; to: number } {
  return { from: Date.parse(range.from), to: Date.parse(range.to) };
}
