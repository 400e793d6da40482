import { describe, expect, it } from 'vitest';
import { Rng } from '../../ingest/generate/random';
import { FILTER_FIELDS, type SearchFilters } from './query-model';
import { ACTIVITY_CLASSES, ENGINES } from './schema';
import { parseSearch, printSearch, SearchSyntaxError } from './search-syntax';

function syntaxError(input: string): SearchSyntaxError {
  try {
    parseSearch(input);
  } catch (err) {
    if (err instanceof SearchSyntaxError) return err;
    throw err;
  }
  throw new Error(`no error for ${input}`);
}

// The generator's seeded PRNG, so a failing model can be reproduced.
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

const ALPHABET = [
  'a',
  'Z',
  '0',
  '_',
  '.',
  '*',
  ' ',
  '"',
  ',',
  '\\',
  ':',
  '-',
  '=',
  "'",
  '\t',
  'é',
  '漢',
  '😀',
  '(',
  ')',
];

function randomModel(next: () => number): SearchFilters {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const word = () => Array.from({ length: 1 + Math.floor(next() * 10) }, () => pick(ALPHABET)).join('');
  const model: Record<string, unknown> = {};
  for (const field of FILTER_FIELDS) {
    if (next() < 0.6) continue;
    const values = () => {
      if (field === 'class') return [pick([...ACTIVITY_CLASSES, 'D*', '*'])];
      if (field === 'engine') return [pick([...ENGINES, 'my*'])];
      return Array.from({ length: 1 + Math.floor(next() * 3) }, word);
    };
    model[field] = Array.from({ length: 1 + Math.floor(next() * 2) }, () => ({
      values: values(),
      negate: next() < 0.4,
    }));
  }
  const failed = pick([undefined, true, false]);
  if (failed !== undefined) model.failed = failed;
  const aux = pick([undefined, true, false, 'any']);
  if (aux !== undefined) model.aux = aux;
  if (next() < 0.5) model.text = Array.from({ length: 1 + Math.floor(next() * 3) }, word);
  return model;
}

describe('parseSearch', () => {
  it('parses the documented example', () => {
    // Act
    const f = parseSearch(
      'user:alice class:DDL,DCL db:sales -user:rdsadmin failed:true "drop table" object:public.*',
    );
    // Assess
    expect(f).toEqual({
      user: [
        { values: ['alice'], negate: false },
        { values: ['rdsadmin'], negate: true },
      ],
      class: [{ values: ['DDL', 'DCL'], negate: false }],
      db: [{ values: ['sales'], negate: false }],
      object: [{ values: ['public.*'], negate: false }],
      failed: true,
      text: ['drop table'],
    });
  });

  it('treats bare and quoted words as statement text, and normalises class and engine case', () => {
    expect(parseSearch('  DROP  "a \\"b\\"" class:ddl engine:MySQL ')).toEqual({
      class: [{ values: ['DDL'], negate: false }],
      engine: [{ values: ['mysql'], negate: false }],
      text: ['DROP', 'a "b"'],
    });
  });

  it('reads negated booleans and aux:any', () => {
    expect(parseSearch('-failed:true aux:any')).toEqual({ failed: false, aux: 'any' });
    expect(parseSearch('')).toEqual({});
  });

  it.each([
    ['user:alice foo:bar', 'unknown field', 11, 'foo'],
    ['class:DDL,NOPE', 'unknown class', 10, 'NOPE'],
    ['engine:db2', 'unknown engine', 7, 'db2'],
    ['db:"sales', 'unterminated quote', 3, '"sales'],
    ['"drop table', 'unterminated quote', 0, '"drop table'],
    ['user: db:x', 'empty value', 5, 'user:'],
    ['user:a,,b', 'empty value', 7, 'user:'],
    ['failed:yes', 'failed must be true or false', 7, 'yes'],
    ['aux:maybe', 'aux must be true, false or any', 4, 'maybe'],
    ['failed:true,false', 'failed takes one value', 12, 'false'],
    ['failed:true failed:false', 'given more than once', 12, 'failed'],
    ['-"drop"', 'negation applies to field terms only', 0, '-"drop"'],
    ['db:app" OR 1=1 --', 'unexpected quote', 6, '"'],
    ['db:"a"b', 'expected a space', 6, '"a"b'],
    ['""', 'empty quoted text', 0, '""'],
  ])('rejects %j with a pointer at the bad token', (input, message, position, token) => {
    const err = syntaxError(input);
    expect(err.message).toContain(message);
    expect({ position: err.position, token: err.token }).toEqual({ position, token });
    expect(err.status).toBe(400);
    expect(err.details).toEqual({ position, token });
  });
});

describe('printSearch', () => {
  it('prints canonical text', () => {
    const text = printSearch({
      text: ['drop table', 'x:y'],
      user: [{ values: ['a b', 'c,d', 'e"f'], negate: true }],
      class: [{ values: ['DDL'], negate: false }],
      failed: false,
    });
    expect(text).toBe('class:DDL -user:"a b","c,d","e\\"f" failed:false "drop table" "x:y"');
  });

  it('round-trips a few hundred random models: parse(print(m)) deep-equals m', () => {
    const next = rng(20260110);
    for (let i = 0; i < 400; i++) {
      const model = randomModel(next);
      const printed = printSearch(model);
      expect(parseSearch(printed), printed).toEqual(model);
    }
  });
});
