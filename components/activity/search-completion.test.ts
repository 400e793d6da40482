import { describe, expect, it } from 'vitest';
import { applyCompletion, localCompletions, tokenAt, validateSearch } from './search-completion';
import { withTerm } from './search-terms';

describe('tokenAt', () => {
  it('reads a field prefix under the caret', () => {
    // Prepare
    const text = 'user:alice cla';
    // Act
    const token = tokenAt(text, text.length);
    // Assess
    expect(token).toMatchObject({ field: null, prefix: 'cla', prefixStart: 11 });
  });

  it('reads the last value of a negated field term', () => {
    const text = '-class:DDL,dc';
    const token = tokenAt(text, text.length);
    expect(token).toMatchObject({ field: 'class', prefix: 'dc', prefixStart: 11 });
  });
});

describe('localCompletions', () => {
  it('completes field names and closed vocabularies, and defers open fields to the server', () => {
    expect(localCompletions(tokenAt('cl', 2))).toEqual(['class', 'cluster']);
    expect(localCompletions(tokenAt('class:d', 7))).toEqual(['DDL', 'DML', 'DQL', 'DCL', 'DISCONNECT']);
    expect(localCompletions(tokenAt('user:al', 7))).toBeNull();
  });

  it('offers only the granted classes when given them', () => {
    // Prepare
    const granted = ['DDL', 'DCL', 'CONNECT', 'DISCONNECT'];
    // Act
    const options = localCompletions(tokenAt('class:d', 7), granted);
    // Assess
    expect(options).toEqual(['DDL', 'DCL', 'DISCONNECT']);
  });
});

describe('applyCompletion', () => {
  it('replaces the typed prefix and keeps the rest of the text', () => {
    const text = 'class:dd user:bob';
    const next = applyCompletion(text, tokenAt(text, 8), 'DDL');
    expect(next).toEqual({ text: 'class:DDL user:bob', caret: 9 });
  });

  it('adds the colon after a field name', () => {
    expect(applyCompletion('us', tokenAt('us', 2), 'user').text).toBe('user:');
  });
});

describe('validateSearch', () => {
  it('points at the unknown field', () => {
    const problem = validateSearch('user:alice colour:red');
    expect(problem).toMatchObject({ position: 11, token: 'colour' });
  });

  it('accepts valid syntax', () => {
    expect(validateSearch('class:DDL,DCL -user:rdsadmin "drop table"')).toBeNull();
  });
});

describe('withTerm', () => {
  it('sets a field, replacing its earlier terms and keeping the others', () => {
    expect(withTerm('user:alice class:DML', 'class', 'DDL')).toBe('class:DDL user:alice');
  });

  it('appends to a search that does not parse', () => {
    expect(withTerm('colour:red', 'user', 'bob')).toBe('colour:red user:bob');
  });
});
