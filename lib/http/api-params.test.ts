import { describe, expect, it } from 'vitest';
import { readParams } from './api-params';
import { ValidationError } from './errors';

describe('readParams', () => {
  it('returns each parameter once', () => {
    expect(readParams(new URLSearchParams('q=class:DDL&limit=5'))).toEqual({ q: 'class:DDL', limit: '5' });
  });

  it('refuses a repeated parameter instead of picking one copy', () => {
    expect(() => readParams(new URLSearchParams('q=class:DDL&q=class:DML'))).toThrow(ValidationError);
  });
});
