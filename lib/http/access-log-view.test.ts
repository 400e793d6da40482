import { describe, expect, it } from 'vitest';
import type { AccessLogEntry } from '../audit/access-log';
import {
  accessLogCsv,
  accessLogRequestSchema,
  filterEntries,
  READ_CAP,
  toServiceQuery,
} from './access-log-view';

const entry = (user: string, action: AccessLogEntry['action']): AccessLogEntry => ({
  at: '2026-01-10T00:00:00.000Z',
  user,
  roles: ['admin'],
  action,
  query: { q: '=HYPERLINK("x")' },
  rows: 2,
  bytesScanned: null,
  requestId: null,
});

describe('access-log view', () => {
  it('reads the cap when filtering, then filters and limits', () => {
    const req = accessLogRequestSchema.parse({ user: 'local:ann', limit: '1' });
    expect(toServiceQuery(req, new Date('2026-01-11T00:00:00Z'))).toEqual({
      from: '2026-01-10T00:00:00.000Z',
      to: '2026-01-11T00:00:00.000Z',
      limit: READ_CAP,
    });
    const entries = [
      entry('local:bob', 'search'),
      entry('local:ann', 'export'),
      entry('local:ann', 'search'),
    ];
    expect(filterEntries(entries, req)).toEqual([entries[1]]);
  });

  it('writes CSV with a header and neutralised formula cells', () => {
    const csv = accessLogCsv([entry('=cmd', 'view')]).split('\r\n');
    expect(csv[0]).toBe('at,user,roles,action,query,rows,bytes_scanned,request_id');
    expect(csv[1]?.startsWith("2026-01-10T00:00:00.000Z,'=cmd,")).toBe(true);
  });

  it('rejects unknown parameters and actions', () => {
    expect(accessLogRequestSchema.safeParse({ action: 'drop' }).success).toBe(false);
    expect(accessLogRequestSchema.safeParse({ sql: '1' }).success).toBe(false);
  });
});
