import 'server-only';
import { z } from 'zod';
import type { AccessPrincipal } from '../audit/grants';
import type { ActivityQuery, FilterField } from '../audit/query-model';
import type { AuditService } from '../audit/service';
import type { CallOptions } from '../audit/service-context';

/**
 * Autocomplete for the search box: known values of a field under the caller's grant. The prefix
 * becomes a `field:prefix*` term of the query, so the service narrows (and logs) as for any read.
 */

export const SUGGEST_FIELDS = ['user', 'db', 'object', 'host', 'app', 'command', 'cluster'] as const;
export type SuggestField = (typeof SUGGEST_FIELDS)[number];

// Fields the service ranks over the whole range; the others are counted over the newest SAMPLE_SIZE events.
const RANKED = { user: 'users', db: 'databases', object: 'objects', host: 'hosts' } as const;
const SAMPLED = { app: 'client_application', command: 'command', cluster: 'resource_id' } as const;
export const SAMPLE_SIZE = 1000;

export const suggestRequestSchema = z.object({
  field: z.enum(SUGGEST_FIELDS),
  // `*` would be a wildcard inside the term; a prefix is literal.
  prefix: z
    .string()
    .max(256)
    .regex(/^[^*]*$/, 'prefix may not contain *')
    .default(''),
  n: z.coerce.number().int().min(1).max(50).default(10),
});
export type SuggestRequest = z.infer<typeof suggestRequestSchema>;

export interface Suggestions {
  field: SuggestField;
  values: { value: string; count: number }[];
  /** true when counts come from the newest SAMPLE_SIZE events rather than the whole range */
  sampled: boolean;
}

function withPrefix(query: ActivityQuery, field: FilterField, prefix: string): ActivityQuery {
  if (prefix === '') return query;
  const term = { values: [`${prefix}*`], negate: false };
  return { ...query, filters: { ...query.filters, [field]: [...(query.filters[field] ?? []), term] } };
}

export async function suggestValues(
  service: AuditService,
  principal: AccessPrincipal,
  req: SuggestRequest,
  query: ActivityQuery,
  options: CallOptions,
): Promise<Suggestions> {
  const narrowed = withPrefix(query, req.field, req.prefix);
  if (req.field === 'user' || req.field === 'db' || req.field === 'object' || req.field === 'host') {
    const dimension = RANKED[req.field];
    const top = await service.topValues(principal, { query: narrowed, dimension, n: req.n }, options);
    return {
      field: req.field,
      values: top.values.map((v) => ({ value: v.value, count: v.count })),
      sampled: false,
    };
  }
  const column = SAMPLED[req.field];
  const page = await service.listEvents(
    principal,
    { ...narrowed, limit: SAMPLE_SIZE, cursor: undefined },
    options,
  );
  const counts = new Map<string, number>();
  for (const event of page.events) {
    const value = event[column];
    if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const values = [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
    .slice(0, req.n);
  return { field: req.field, values, sampled: true };
}
