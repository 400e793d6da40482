import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { eventRowSchema, listRowSchema } from '../../lib/audit/rows';
import {
  apiGet,
  countBy,
  FIXTURES,
  getJson,
  RANGE,
  ROLES,
  STATEMENTS,
  visibleTo,
  WIDE,
} from './data-helpers';

/**
 * Happy paths of the data API against the production build over the fixture store: shapes, and
 * numbers equal to the same reads computed from the fixture events the store was written from.
 */

const LIST_KEYS = [...Object.keys(listRowSchema.shape), 'text_masked'].sort();
const DETAIL_KEYS = [...Object.keys(eventRowSchema.shape), 'text_masked'].sort();
type Listed = { event_id: string; event_time: string; class: string };

test.describe('GET /api/activity', () => {
  for (const role of ROLES) {
    test(`lists exactly the statements ${role} may see`, async ({ request }) => {
      const body = (await getJson(request, role, '/api/activity', WIDE)) as {
        events: Listed[];
        nextCursor: null;
      };
      expect(Object.keys(body).sort()).toEqual(['events', 'nextCursor']);
      expect(body.nextCursor).toBeNull();
      expect(body.events.map((e) => e.event_id).sort()).toEqual(
        visibleTo(role)
          .map((e) => e.event_id)
          .sort(),
      );
      for (const e of body.events) expect(Object.keys(e).sort()).toEqual(LIST_KEYS);
    });
  }

  test('pages with the cursor: newest first, every statement once', async ({ request }) => {
    const seen: Listed[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const params: Record<string, string> = {
        ...RANGE,
        limit: '50',
        ...(cursor === null ? {} : { cursor }),
      };
      const body = (await getJson(request, 'admin', '/api/activity', params)) as {
        events: Listed[];
        nextCursor: string | null;
      };
      seen.push(...body.events);
      cursor = body.nextCursor;
      if (cursor === null) break;
    }
    expect(seen).toHaveLength(STATEMENTS.length);
    expect(new Set(seen.map((e) => e.event_id)).size).toBe(STATEMENTS.length);
    const times = seen.map((e) => e.event_time);
    expect(times).toEqual([...times].sort().reverse());
  });
});

test('GET /api/activity/{id} returns the event and its MySQL AUX companions', async ({ request }) => {
  const main = FIXTURES.find((e) => e.engine === 'mysql' && !e.is_aux && e.statement_id === '77');
  const aux = FIXTURES.filter((e) => e.is_aux && e.statement_id === '77').map((e) => e.event_id);
  if (main === undefined) throw new Error('fixture without a MySQL MAIN event');
  const at = new Date(Number(main.event_time / 1000n)).toISOString();
  const body = (await getJson(request, 'admin', `/api/activity/${main.event_id}`, { at })) as {
    event: Record<string, unknown>;
    companions: Listed[];
  };
  expect(Object.keys(body).sort()).toEqual(['companions', 'event']);
  expect(Object.keys(body.event).sort()).toEqual(DETAIL_KEYS);
  expect(body.event).toMatchObject({
    event_id: main.event_id,
    command_text: main.command_text,
    text_masked: false,
  });
  expect(body.companions.map((c) => c.event_id).sort()).toEqual(aux.sort());
});

test.describe('GET /api/stats/*', () => {
  for (const role of ['admin', 'security-lead', 'app-team'] as const) {
    test(`overview counts what ${role} may see`, async ({ request }) => {
      const seen = visibleTo(role);
      const body = await getJson(request, role, '/api/stats/overview', RANGE);
      expect(body).toEqual({
        events: seen.length,
        ddl: seen.filter((e) => e.class === 'DDL').length,
        dcl: seen.filter((e) => e.class === 'DCL').length,
        failed: seen.filter((e) => e.failed).length,
        errors: seen.filter((e) => e.failed || e.class === 'ERROR').length,
        authFailures: seen.filter((e) => e.class === 'AUTH_FAILURE').length,
        distinctUsers: new Set(seen.map((e) => e.db_user)).size,
      });
    });

    test(`counts over time are dense and add up for ${role}`, async ({ request }) => {
      const body = (await getJson(request, role, '/api/stats/counts', RANGE)) as {
        grain: string;
        buckets: { start: string; total: number; counts: Record<string, number> }[];
      };
      expect(body.grain).toBe('15 minutes');
      expect(body.buckets).toHaveLength(48 * 4);
      expect(body.buckets[0]?.start).toBe(RANGE.from);
      const perClass = new Map<string, number>();
      for (const b of body.buckets) {
        expect(Object.values(b.counts).reduce((a, n) => a + n, 0)).toBe(b.total);
        for (const [c, n] of Object.entries(b.counts)) perClass.set(c, (perClass.get(c) ?? 0) + n);
      }
      expect(perClass).toEqual(countBy(visibleTo(role), (e) => e.class));
    });
  }

  const DIMENSIONS = {
    user: 'db_user',
    database: 'database_name',
    object: 'object_name',
    host: 'remote_host',
  } as const;
  for (const [dimension, column] of Object.entries(DIMENSIONS)) {
    test(`top ${dimension} ranks like the fixtures`, async ({ request }) => {
      const body = await getJson(request, 'auditor', '/api/stats/top', { ...RANGE, dimension, n: '5' });
      const failed = countBy(
        STATEMENTS.filter((e) => e.failed),
        (e) => e[column],
      );
      const expected = [...countBy(STATEMENTS, (e) => e[column])]
        .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
        .slice(0, 5)
        .map(([value, count]) => ({ value, count, failed: failed.get(value) ?? 0 }));
      expect(body).toEqual({ dimension, values: expected });
    });
  }

  test('auth failures by source and over time', async ({ request }) => {
    const failures = STATEMENTS.filter((e) => e.class === 'AUTH_FAILURE');
    const body = (await getJson(request, 'security-lead', '/api/stats/auth-failures', RANGE)) as {
      bySource: { user: string; host: string | null; count: number }[];
      overTime: { count: number }[];
    };
    const bySource = new Map(body.bySource.map((s) => [`${s.user}@${s.host}`, s.count]));
    expect(bySource).toEqual(countBy(failures, (e) => `${e.db_user}@${e.remote_host}`));
    expect(body.overTime.reduce((a, b) => a + b.count, 0)).toBe(failures.length);
  });
});

test('GET /api/ddl-timeline lists DDL newest first, grouped per object on request', async ({ request }) => {
  const ddl = STATEMENTS.filter((e) => e.class === 'DDL');
  const body = (await getJson(request, 'admin', '/api/ddl-timeline', { ...WIDE, group: 'object' })) as {
    entries: Listed[];
    nextCursor: null;
    objects: { changes: unknown[] }[];
  };
  expect(body.entries.map((e) => e.event_id).sort()).toEqual(ddl.map((e) => e.event_id).sort());
  expect(body.entries.every((e) => e.class === 'DDL')).toBe(true);
  expect(body.objects.reduce((a, o) => a + o.changes.length, 0)).toBe(ddl.length);
});

test('GET /api/sessions returns one session, connect to disconnect', async ({ request }) => {
  const life = STATEMENTS.filter((e) => e.session_id === 'sess-life');
  const body = (await getJson(request, 'admin', '/api/sessions', {
    ...RANGE,
    sessionId: 'sess-life',
    resourceId: 'cluster-FIXTUREA',
  })) as { events: Listed[]; truncated: boolean; summary: Record<string, unknown> };
  expect(body.events.map((e) => e.class)).toEqual(['CONNECT', 'DML', 'DQL', 'DISCONNECT']);
  expect(body.truncated).toBe(false);
  expect(body.summary).toMatchObject({
    events: life.length,
    durationMs: 5 * 60_000,
    totalRows: 10,
    failed: 0,
  });
});

test.describe('GET /api/export', () => {
  test('streams CSV as an attachment; the manifest matches the bytes and only its owner reads it', async ({
    request,
  }) => {
    const response = await apiGet(request, 'admin', '/api/export', { ...RANGE, format: 'csv' });
    expect(response.status()).toBe(200);
    const headers = response.headers();
    expect(headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(headers['content-disposition']).toBe('attachment; filename="dasboard-2026-01-10-2026-01-12.csv"');
    expect(headers['cache-control']).toBe('no-store');
    const bytes = await response.body();
    const lines = bytes.toString('utf8').split('\r\n');
    expect(lines[0]?.startsWith('event_id,event_time,')).toBe(true);
    expect(lines.filter((l) => l !== '')).toHaveLength(STATEMENTS.length + 1);

    const exportId = headers['x-export-id'] ?? '';
    let manifest: { status: string; manifest: Record<string, unknown> | null } = {
      status: '',
      manifest: null,
    };
    await expect(async () => {
      manifest = (await getJson(request, 'admin', `/api/export/${exportId}/manifest`)) as typeof manifest;
      expect(manifest.status).toBe('complete');
    }).toPass({ timeout: 10_000 });
    expect(manifest.manifest).toMatchObject({
      rowCount: STATEMENTS.length,
      bytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      complete: true,
      requester: 'local:e2e-admin',
      format: 'csv',
    });
    const other = await apiGet(request, 'auditor', `/api/export/${exportId}/manifest`);
    expect(other.status()).toBe(404);
    expect((await other.json()).error.code).toBe('not_found');
  });

  test('streams NDJSON, one event per line', async ({ request }) => {
    const response = await apiGet(request, 'auditor', '/api/export', { ...RANGE, format: 'ndjson' });
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const rows = (await response.text())
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { event_id: string });
    expect(rows.map((r) => r.event_id).sort()).toEqual(STATEMENTS.map((e) => e.event_id).sort());
  });

  test('CSV leaves raw out unless asked; columns picks and orders them; a bad name is a 400', async ({
    request,
  }) => {
    const header = async (params: Record<string, string>) => {
      const response = await apiGet(request, 'auditor', '/api/export', { ...RANGE, ...params });
      expect(response.status()).toBe(200);
      return (await response.text()).split('\r\n')[0]?.split(',');
    };
    const plain = await header({});
    expect(plain).toContain('command_text');
    expect(plain).not.toContain('raw');
    expect(await header({ columns: 'all' })).toContain('raw');
    expect(await header({ columns: 'db_user, event_time' })).toEqual(['db_user', 'event_time']);
    const bad = await apiGet(request, 'auditor', '/api/export', { ...RANGE, columns: 'db_user,secret' });
    expect(bad.status()).toBe(400);
    const issues = (await bad.json()).error.details.issues as { path: string; message: string }[];
    expect(issues[0]?.path).toBe('columns');
    expect(issues[0]?.message).toMatch(/^unknown column "secret"/);
  });
});

test('GET /api/access-log filters by user and action, and exports CSV', async ({ request }) => {
  await apiGet(request, 'admin', '/api/activity', { ...RANGE, q: 'class:DDL' });
  const body = (await getJson(request, 'admin', '/api/access-log', {
    user: 'local:e2e-admin',
    action: 'search',
  })) as { entries: { user: string; action: string; query: { q?: string } }[] };
  expect(body.entries.length).toBeGreaterThan(0);
  expect(body.entries.every((e) => e.user === 'local:e2e-admin' && e.action === 'search')).toBe(true);
  expect(body.entries.some((e) => e.query.q === 'class:DDL')).toBe(true);
  const csv = await apiGet(request, 'admin', '/api/access-log', { format: 'csv', action: 'search' });
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-disposition']).toBe('attachment; filename="dasboard-access-log.csv"');
  expect((await csv.text()).split('\r\n')[0]).toBe(
    'at,user,roles,action,query,rows,bytes_scanned,request_id',
  );
});

test.describe('GET /api/suggest', () => {
  test('ranks values of a field under a prefix', async ({ request }) => {
    const body = await getJson(request, 'admin', '/api/suggest', { ...RANGE, field: 'user', prefix: 'ca' });
    const carol = STATEMENTS.filter((e) => e.db_user === 'carol').length;
    expect(body).toEqual({ field: 'user', values: [{ value: 'carol', count: carol }], sampled: false });
  });

  test('counts sampled fields over the newest events', async ({ request }) => {
    const body = await getJson(request, 'admin', '/api/suggest', {
      ...RANGE,
      field: 'cluster',
      prefix: 'cluster-',
    });
    const expected = [...countBy(STATEMENTS, (e) => e.resource_id)]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .map(([value, count]) => ({ value, count }));
    expect(body).toEqual({ field: 'cluster', values: expected, sampled: true });
  });
});
