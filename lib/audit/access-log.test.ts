import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../store/local';
import { AccessLog, type AccessLogEntry, decodeAccessLogFile, encodeAccessLogEntry } from './access-log';

const entry = (at: string, over: Partial<AccessLogEntry> = {}): AccessLogEntry => ({
  at,
  user: 'local:alice',
  roles: ['auditor'],
  action: 'search',
  query: { q: 'user:bob "drop"', from: '2026-01-10T00:00:00.000Z' },
  rows: 12,
  bytesScanned: null,
  requestId: 'req-1',
  ...over,
});

describe('access log encoding', () => {
  it('round-trips one entry through Parquet', async () => {
    const e = entry('2026-01-10T10:00:00.123Z', {
      bytesScanned: 123456789,
      requestId: null,
      action: 'export',
    });
    expect(await decodeAccessLogFile(encodeAccessLogEntry(e))).toEqual([e]);
  });
});

describe('AccessLog', () => {
  let root: string;
  let log: AccessLog;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'dasboard-alog-'));
    log = new AccessLog(new LocalStore(root));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('writes one object per entry under access-log/dt=<day>/ and reads them back newest first', async () => {
    const key = await log.append(entry('2026-01-10T23:59:59.000Z', { requestId: 'a' }));
    await log.append(entry('2026-01-11T00:00:01.000Z', { requestId: 'b' }));
    await log.append(
      entry('2026-01-11T05:00:00.000Z', { requestId: 'c', action: 'view', query: { eventId: 'e1' } }),
    );
    await log.append(entry('2026-01-12T05:00:00.000Z', { requestId: 'd' }));
    expect(key).toMatch(/^access-log\/dt=2026-01-10\/20260110T235959000Z-[0-9a-f-]+\.parquet$/);
    const all = await log.read({ from: '2026-01-10T00:00:00.000Z', to: '2026-01-12T00:00:00.000Z' }, 100);
    expect(all.map((e) => e.requestId)).toEqual(['c', 'b', 'a']);
    expect(all[0]).toEqual(
      entry('2026-01-11T05:00:00.000Z', { requestId: 'c', action: 'view', query: { eventId: 'e1' } }),
    );
    const limited = await log.read({ from: '2026-01-10T00:00:00.000Z', to: '2026-01-13T00:00:00.000Z' }, 2);
    expect(limited.map((e) => e.requestId)).toEqual(['d', 'c']);
  });

  it('writes entries that arrive during a write together (group commit), each durable when it resolves', async () => {
    const groupRoot = await mkdtemp(path.join(tmpdir(), 'dasboard-alog-group-'));
    const store = new LocalStore(groupRoot);
    const group = new AccessLog(store);
    const at = (i: number) => `2026-02-01T10:00:${String(i).padStart(2, '0')}.000Z`;
    const keys = await Promise.all(
      Array.from({ length: 10 }, (_, i) => group.append(entry(at(i), { requestId: `r${i}` }))),
    );
    // The first write starts at once; the nine that queue behind it share one object.
    expect(new Set(keys).size).toBe(2);
    expect(keys.slice(1).every((k) => k === keys[1])).toBe(true);
    const back = await group.read({ from: '2026-02-01T00:00:00.000Z', to: '2026-02-02T00:00:00.000Z' }, 100);
    expect(back.map((e) => e.requestId)).toEqual(Array.from({ length: 10 }, (_, i) => `r${9 - i}`));
    await rm(groupRoot, { recursive: true, force: true });
  });

  it('keeps a group within its day and fails only the entries whose write failed', async () => {
    const groupRoot = await mkdtemp(path.join(tmpdir(), 'dasboard-alog-fail-'));
    const local = new LocalStore(groupRoot);
    const failing = {
      ...local,
      list: local.list.bind(local),
      get: local.get.bind(local),
      put: async (key: string, body: Uint8Array | string) => {
        if (key.includes('dt=2026-02-02')) throw new Error('disk full');
        return local.put(key, body);
      },
    } as unknown as LocalStore;
    const group = new AccessLog(failing);
    await group.append(entry('2026-02-01T09:00:00.000Z', { requestId: 'warm' }));
    const results = await Promise.allSettled([
      group.append(entry('2026-02-01T23:59:59.000Z', { requestId: 'late' })),
      group.append(entry('2026-02-02T00:00:01.000Z', { requestId: 'next-day' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    await rm(groupRoot, { recursive: true, force: true });
  });
});
