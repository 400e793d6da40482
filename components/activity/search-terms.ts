import { ZodError } from 'zod';
import type { FilterField } from '../../lib/audit/query-model';
import { parseSearch, printSearch, SearchSyntaxError } from '../../lib/audit/search-syntax';

/** `q` with `field:value` set (replacing that field's terms); a broken `q` gets the term appended. */
export function withTerm(q: string, field: FilterField | 'failed', value: string): string {
  try {
    const filters = parseSearch(q);
    if (field === 'failed') return printSearch({ ...filters, failed: value === 'true' });
    return printSearch({ ...filters, [field]: [{ values: [value], negate: false }] });
  } catch (error) {
    if (!(error instanceof SearchSyntaxError || error instanceof ZodError)) throw error;
    return `${q} ${field}:${value}`.trim();
  }
}
