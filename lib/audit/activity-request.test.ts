import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { parseActivityRequest, toActivityRequest } from './activity-request';
import { SearchSyntaxError } from './search-syntax';

const NOW = new Date('2026-01-12T00:00:00.000Z');

describe('parseActivityRequest', () => {
  it('defaults to the last 24 hours, newest first, 100 rows, statements only', () => {
    expect(parseActivityRequest({}, NOW)).toEqual({
      range: { from: '2026-01-11T00:00:00.000Z', to: '2026-01-12T00:00:00.000Z' },
      filters: {},
      sort: { column: 'event_time', direction: 'desc' },
      limit: 100,
    });
  });

  it('reads flat parameters and normalises instants', () => {
    const q = parseActivityRequest(
      {
        q: 'user:alice',
        from: '2026-01-10',
        to: '2026-01-10T12:00:00+02:00',
        sort: 'db_user',
        limit: '20',
        extra: 'ignored',
      },
      NOW,
    );
    expect(q.range).toEqual({ from: '2026-01-10T00:00:00.000Z', to: '2026-01-10T10:00:00.000Z' });
    expect(q.sort).toEqual({ column: 'db_user', direction: 'asc' });
    expect(q.limit).toBe(20);
    expect(parseActivityRequest(toActivityRequest(q), NOW)).toEqual(q);
  });

  it.each([
    [{ from: '2026-01-10T00:00:00Z', to: '2026-01-10T00:00:00Z' }],
    [{ from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }],
    [{ from: 'yesterday' }],
    [{ limit: 1001 }],
    [{ limit: 0 }],
    [{ sort: 'raw' }],
    [{ sort: 'event_time:sideways' }],
  ])('rejects %j with a 400 ZodError', (raw) => {
    expect(() => parseActivityRequest(raw, NOW)).toThrow(ZodError);
  });

  it('rejects bad search text with a SearchSyntaxError', () => {
    expect(() => parseActivityRequest({ q: 'nope:x' }, NOW)).toThrow(SearchSyntaxError);
  });
});
