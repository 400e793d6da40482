import { ZodError } from 'zod';
import { FILTER_FIELDS } from '../../lib/audit/query-model';
import { ACTIVITY_CLASSES, ENGINES } from '../../lib/audit/schema';
import { parseSearch, SearchSyntaxError } from '../../lib/audit/search-syntax';

/** Pure helpers of the search box: the token under the caret, completions, validation. */

export const SEARCH_FIELDS: readonly string[] = [...FILTER_FIELDS, 'failed', 'aux'];
const CLOSED: Readonly<Record<string, readonly string[]>> = {
  class: ACTIVITY_CLASSES,
  engine: ENGINES,
  failed: ['true', 'false'],
  aux: ['true', 'false', 'any'],
};

export interface CaretToken {
  readonly start: number;
  readonly end: number;
  /** field name when the token is `[-]field:…` */
  readonly field: string | null;
  /** what is being typed: the field prefix, or the last value after `:`/`,` */
  readonly prefix: string;
  /** offset where `prefix` starts */
  readonly prefixStart: number;
}

export function tokenAt(text: string, caret: number): CaretToken {
  let start = caret;
  while (start > 0 && !/\s/.test(text.charAt(start - 1))) start--;
  let end = caret;
  while (end < text.length && !/\s/.test(text.charAt(end))) end++;
  const body = text.slice(start, caret);
  const offset = body.startsWith('-') ? 1 : 0;
  const colon = body.indexOf(':');
  if (colon < 0) return { start, end, field: null, prefix: body.slice(offset), prefixStart: start + offset };
  const comma = body.lastIndexOf(',');
  const valueStart = Math.max(colon, comma) + 1;
  return {
    start,
    end,
    field: body.slice(offset, colon).toLowerCase(),
    prefix: body.slice(valueStart),
    prefixStart: start + valueStart,
  };
}

/**
 * Completions known without the server: field names and closed vocabularies. `classes` narrows
 * `class:` to what the caller's grant covers (the others would only answer 403).
 */
export function localCompletions(
  token: CaretToken,
  classes: readonly string[] = ACTIVITY_CLASSES,
): readonly string[] | null {
  const p = token.prefix.toLowerCase();
  if (token.field === null) return p === '' ? [] : SEARCH_FIELDS.filter((f) => f.startsWith(p) && f !== p);
  const closed = token.field === 'class' ? classes : CLOSED[token.field];
  if (closed === undefined) return null;
  return closed.filter((v) => v.toLowerCase().startsWith(p) && v.toLowerCase() !== p);
}

/** Replaces the typed prefix with a completion; fields get their `:`. */
export function applyCompletion(
  text: string,
  token: CaretToken,
  value: string,
): { text: string; caret: number } {
  const insert = token.field === null ? `${value}:` : value;
  const caretEnd = token.prefixStart + token.prefix.length;
  const next = text.slice(0, token.prefixStart) + insert + text.slice(caretEnd);
  return { text: next, caret: token.prefixStart + insert.length };
}

export interface SearchProblem {
  readonly message: string;
  readonly position: number | null;
  readonly token: string;
}

export function validateSearch(text: string): SearchProblem | null {
  try {
    parseSearch(text);
    return null;
  } catch (error) {
    if (error instanceof SearchSyntaxError) {
      return { message: error.message, position: error.position, token: error.token };
    }
    const message =
      error instanceof ZodError ? (error.issues[0]?.message ?? 'Invalid search') : 'Invalid search';
    return { message, position: null, token: '' };
  }
}
