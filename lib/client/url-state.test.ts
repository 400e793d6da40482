import { describe, expect, it } from 'vitest';
import { mergeParams, presetRange, readExplorer, readRange } from './url-state';

const NOW = Date.UTC(2026, 0, 10, 12, 0, 30);

describe('readRange', () => {
  it('resolves a missing range to the fallback preset, rounded up to the minute', () => {
    // Act
    const state = readRange(new URLSearchParams(''), NOW);
    // Assess
    expect(state).toEqual({
      q: '',
      from: '2026-01-09T12:01:00.000Z',
      to: '2026-01-10T12:01:00.000Z',
      range: '24h',
    });
  });

  it('keeps explicit from/to and marks them custom', () => {
    const params = new URLSearchParams({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-02T00:00:00.000Z',
      q: 'class:DDL',
    });
    expect(readRange(params, NOW)).toMatchObject({
      q: 'class:DDL',
      range: 'custom',
      from: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('readExplorer', () => {
  it('reads sort, columns and the open event', () => {
    const params = new URLSearchParams({
      sort: 'db_user:asc',
      cols: 'event_time,class',
      event: 'e1',
      at: 'x',
    });
    expect(readExplorer(params, NOW)).toMatchObject({
      sort: 'db_user:asc',
      cols: ['event_time', 'class'],
      event: 'e1',
      at: 'x',
    });
  });
});

describe('mergeParams', () => {
  it('sets and removes keys over the current query', () => {
    expect(mergeParams('q=a&event=1&at=2', { q: 'b', event: null, at: '' })).toBe('q=b');
  });
});

describe('presetRange', () => {
  it('spans the preset', () => {
    const r = presetRange('1h', NOW);
    expect(Date.parse(r.to) - Date.parse(r.from)).toBe(3_600_000);
  });
});
