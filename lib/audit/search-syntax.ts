import {
  expandVocabulary,
  FILTER_FIELDS,
  type FieldFilter,
  type FilterField,
  type SearchFilters,
  searchFiltersSchema,
} from './query-model';
import { ACTIVITY_CLASSES, ENGINES } from './schema';
import { isSpace, Scanner, SearchSyntaxError, type Token } from './search-scanner';

export { SearchSyntaxError } from './search-scanner';

/**
 * The search box language (architecture.md): `user:alice class:DDL,DCL -user:rdsadmin
 * failed:true "drop table" object:public.*`. `parseSearch` → SearchFilters, `printSearch` back;
 * parseSearch(printSearch(f)) deep-equals f for every valid model.
 */

const BOOLEAN_FIELDS = ['failed', 'aux'] as const;
const ALL_FIELDS: readonly string[] = [...FILTER_FIELDS, ...BOOLEAN_FIELDS];
const FIELD_PREFIX = /^([A-Za-z_]+):/;
const LIMITS = { valueLength: 256, textLength: 500, values: 50, terms: 10, words: 20 } as const;

interface Draft {
  filters: Partial<Record<FilterField, FieldFilter[]>>;
  failed?: boolean;
  aux?: boolean | 'any';
  text: string[];
}

/** Parses search text into filters; throws SearchSyntaxError pointing at the bad token. */
export function parseSearch(input: string): SearchFilters {
  const s = new Scanner(input);
  const draft: Draft = { filters: {}, text: [] };
  for (s.skipSpace(); !s.done; s.skipSpace()) {
    const termStart = s.i;
    const negate = s.peek() === '-' && s.peek(1) !== undefined && !isSpace(s.peek(1));
    if (negate) s.i++;
    const field = FIELD_PREFIX.exec(input.slice(s.i));
    if (field?.[1] !== undefined) {
      const name = field[1].toLowerCase();
      if (!ALL_FIELDS.includes(name)) {
        throw new SearchSyntaxError(
          `unknown field "${field[1]}" (fields: ${ALL_FIELDS.join(', ')})`,
          s.i,
          field[1],
        );
      }
      s.i += field[0].length;
      addTerm(draft, name, negate, readValues(s, name), termStart);
      continue;
    }
    const word = s.peek() === '"' ? s.quoted() : s.bare(false);
    s.expectTermEnd(termStart);
    if (negate)
      throw new SearchSyntaxError(
        'negation applies to field terms only',
        termStart,
        input.slice(termStart, s.i),
      );
    addWord(draft, word);
  }
  return searchFiltersSchema.parse(toFilters(draft));
}

function readValues(s: Scanner, field: string): Token[] {
  const values: Token[] = [];
  for (;;) {
    const token = s.peek() === '"' ? s.quoted() : s.bare(true);
    if (token.text.length === 0)
      throw new SearchSyntaxError(`empty value for ${field}`, token.start, `${field}:`);
    if (token.text.length > LIMITS.valueLength) {
      throw new SearchSyntaxError(
        `value longer than ${LIMITS.valueLength} characters`,
        token.start,
        token.text,
      );
    }
    values.push(token);
    if (s.peek() !== ',') break;
    s.i++;
  }
  if (values.length > LIMITS.values) {
    throw new SearchSyntaxError(`more than ${LIMITS.values} values`, values[0]?.start ?? s.i, field);
  }
  s.expectTermEnd(values[0]?.start ?? s.i);
  return values;
}

function addWord(draft: Draft, word: Token): void {
  if (word.text.length === 0) throw new SearchSyntaxError('empty quoted text', word.start, '""');
  if (word.text.length > LIMITS.textLength) {
    throw new SearchSyntaxError(`text longer than ${LIMITS.textLength} characters`, word.start, word.text);
  }
  if (draft.text.length >= LIMITS.words)
    throw new SearchSyntaxError(`more than ${LIMITS.words} words`, word.start, word.text);
  draft.text.push(word.text);
}

function addTerm(draft: Draft, name: string, negate: boolean, values: Token[], termStart: number): void {
  if (name === 'failed' || name === 'aux') {
    addBoolean(draft, name, negate, values, termStart);
    return;
  }
  const field = FILTER_FIELDS.find((f) => f === name);
  if (field === undefined) return;
  const normalised = values.map((v) => normaliseValue(field, v));
  const list = draft.filters[field] ?? [];
  if (list.length >= LIMITS.terms)
    throw new SearchSyntaxError(`more than ${LIMITS.terms} ${field} terms`, termStart, name);
  draft.filters[field] = [...list, { values: normalised, negate }];
}

// Class and engine have closed vocabularies: reject names that match nothing, normalise case.
function normaliseValue(field: FilterField, token: Token): string {
  if (field === 'class') {
    if (expandVocabulary([token.text], ACTIVITY_CLASSES).length === 0) {
      throw new SearchSyntaxError(
        `unknown class "${token.text}" (classes: ${ACTIVITY_CLASSES.join(', ')})`,
        token.start,
        token.text,
      );
    }
    return token.text.toUpperCase();
  }
  if (field === 'engine') {
    if (expandVocabulary([token.text], ENGINES).length === 0) {
      throw new SearchSyntaxError(
        `unknown engine "${token.text}" (engines: ${ENGINES.join(', ')})`,
        token.start,
        token.text,
      );
    }
    return token.text.toLowerCase();
  }
  return token.text;
}

function addBoolean(
  draft: Draft,
  name: 'failed' | 'aux',
  negate: boolean,
  values: Token[],
  termStart: number,
): void {
  const [token, extra] = values;
  if (token === undefined) return;
  if (extra !== undefined) throw new SearchSyntaxError(`${name} takes one value`, extra.start, extra.text);
  if (draft[name] !== undefined) throw new SearchSyntaxError(`${name} given more than once`, termStart, name);
  const word = token.text.toLowerCase();
  if (word === 'true' || word === 'false') {
    draft[name] = (word === 'true') !== negate;
    return;
  }
  if (name === 'aux' && word === 'any' && !negate) {
    draft.aux = 'any';
    return;
  }
  const allowed = name === 'aux' ? 'true, false or any' : 'true or false';
  throw new SearchSyntaxError(`${name} must be ${allowed}`, token.start, token.text);
}

function toFilters(draft: Draft): SearchFilters {
  return {
    ...draft.filters,
    ...(draft.failed === undefined ? {} : { failed: draft.failed }),
    ...(draft.aux === undefined ? {} : { aux: draft.aux }),
    ...(draft.text.length === 0 ? {} : { text: draft.text }),
  };
}

const quote = (text: string): string => `"${text.replace(/[\\"]/g, '\\$&')}"`;

function printValue(value: string): string {
  return /^[^\s",]+$/u.test(value) ? value : quote(value);
}

function printWord(word: string): string {
  return /^[^\s"\-:][^\s":]*$/u.test(word) ? word : quote(word);
}

/** Canonical search text for filters: fields in FILTER_FIELDS order, then failed, aux, text. */
export function printSearch(filters: SearchFilters): string {
  const parts: string[] = [];
  for (const field of FILTER_FIELDS) {
    for (const term of filters[field] ?? []) {
      parts.push(`${term.negate ? '-' : ''}${field}:${term.values.map(printValue).join(',')}`);
    }
  }
  if (filters.failed !== undefined) parts.push(`failed:${filters.failed}`);
  if (filters.aux !== undefined) parts.push(`aux:${filters.aux}`);
  for (const word of filters.text ?? []) parts.push(printWord(word));
  return parts.join(' ');
}
