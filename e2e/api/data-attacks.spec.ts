import { expect, test } from '@playwright/test';
import {
  apiGet,
  type FIXTURES,
  getJson,
  RANGE,
  ROUTES,
  type RoleName,
  STATEMENTS,
  sessionOf,
  visibleTo,
  WIDE,
} from './data-helpers';

/**
 * Attack specs for the data API: forged filters, injection, ids and exports outside the grant,
 * unauthenticated calls and wrong methods. Each asserts the exact status and error shape.
 */

type Listed = { event_id: string; class: string; database_name: string };

async function expectError(
  response: Awaited<ReturnType<typeof apiGet>>,
  status: number,
  code: string,
): Promise<void> {
  expect(response.status()).toBe(status);
  const body = await response.json();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.requestId).toBe('string');
  expect(response.headers()['content-disposition']).toBeUndefined();
}

async function listIds(request: Parameters<typeof apiGet>[0], role: RoleName, q: string): Promise<Listed[]> {
  const body = (await getJson(request, role, '/api/activity', { ...WIDE, q })) as { events: Listed[] };
  return body.events;
}

test('every data route answers 401 without a session', async ({ request }) => {
  for (const route of ROUTES) {
    const response = await apiGet(request, null, route.path, route.params);
    await expectError(response, 401, 'unauthorized');
    expect((await response.json()).error.message).toBe('Sign in to continue');
  }
});

test('every data route answers 405 to POST, PUT and DELETE', async ({ request }) => {
  const { cookie, csrfToken } = await sessionOf(request, 'admin');
  const headers = { cookie, 'x-csrf-token': csrfToken };
  for (const route of ROUTES) {
    const url = `${route.path}?${new URLSearchParams(route.params)}`;
    expect((await request.post(url, { headers })).status(), `POST ${route.path}`).toBe(405);
    expect((await request.put(url, { headers })).status(), `PUT ${route.path}`).toBe(405);
    expect((await request.delete(url, { headers })).status(), `DELETE ${route.path}`).toBe(405);
  }
});

test.describe('forged filters', () => {
  test('security-lead asking for DML gets 403 from every read of events', async ({ request }) => {
    for (const path of ['/api/activity', '/api/stats/overview', '/api/stats/counts', '/api/export']) {
      await expectError(
        await apiGet(request, 'security-lead', path, { ...RANGE, q: 'class:DML' }),
        403,
        'forbidden',
      );
    }
    const top = { ...RANGE, q: 'class:DML,DQL', dimension: 'user' };
    await expectError(await apiGet(request, 'security-lead', '/api/stats/top', top), 403, 'forbidden');
    const suggest = { ...RANGE, q: 'class:DQL', field: 'command' };
    await expectError(await apiGet(request, 'security-lead', '/api/suggest', suggest), 403, 'forbidden');
    // Reads about one class narrow first: DML asked of the DDL timeline selects nothing.
    const ddl = await getJson(request, 'security-lead', '/api/ddl-timeline', { ...RANGE, q: 'class:DML' });
    expect(ddl).toEqual({ entries: [], nextCursor: null });
  });

  test('wildcards are narrowed to the grant', async ({ request }) => {
    for (const role of ['security-lead', 'app-team'] as const) {
      const expected = visibleTo(role)
        .map((e) => e.event_id)
        .sort();
      for (const q of ['class:*', 'db:*', 'cluster:*', 'class:* db:* user:*']) {
        expect((await listIds(request, role, q)).map((e) => e.event_id).sort(), `${role} ${q}`).toEqual(
          expected,
        );
      }
    }
  });

  test('app-team asking for another database gets 403 everywhere', async ({ request }) => {
    for (const path of ['/api/activity', '/api/stats/overview', '/api/stats/counts', '/api/ddl-timeline']) {
      await expectError(
        await apiGet(request, 'app-team', path, { ...RANGE, q: 'db:sales' }),
        403,
        'forbidden',
      );
    }
    const top = { ...RANGE, q: 'db:sales,postgres', dimension: 'object' };
    await expectError(await apiGet(request, 'app-team', '/api/stats/top', top), 403, 'forbidden');
    await expectError(await apiGet(request, 'app-team', '/api/stats/auth-failures', RANGE), 403, 'forbidden');
  });

  test('statement-text search under masked rights is refused', async ({ request }) => {
    const response = await apiGet(request, 'app-team', '/api/activity', { ...RANGE, q: 's3cr3t' });
    await expectError(response, 403, 'forbidden');
    expect((await response.json()).error.message).toBe(
      'Searching statement text needs full statement-text rights',
    );
  });
});

test.describe('injection', () => {
  const PAYLOADS: { q: string; status: Partial<Record<RoleName, number>>; fallback: number }[] = [
    { q: 'db:app" OR 1=1 --', status: {}, fallback: 400 },
    { q: "user:'; DROP TABLE activity; --", status: {}, fallback: 400 },
    { q: "db:app' OR '1'='1", status: { 'app-team': 403 }, fallback: 200 },
    { q: 'db:app;--', status: { 'app-team': 403 }, fallback: 200 },
    { q: 'user:%', status: {}, fallback: 200 },
    { q: 'user:a_ice', status: {}, fallback: 200 },
    { q: "object:public.orders'/**/UNION/**/SELECT", status: {}, fallback: 200 },
  ];
  for (const role of ['admin', 'security-lead', 'app-team'] as const) {
    test(`search-syntax injection never widens ${role}'s rows`, async ({ request }) => {
      for (const { q, status, fallback } of PAYLOADS) {
        const response = await apiGet(request, role, '/api/activity', { ...WIDE, q });
        const expected = status[role] ?? fallback;
        expect(response.status(), `${role} ${q}`).toBe(expected);
        const body = await response.json();
        if (expected === 200) expect(body, `${role} ${q}`).toEqual({ events: [], nextCursor: null });
        else expect(body.error.code).toBe(expected === 400 ? 'invalid_request' : 'forbidden');
      }
      expect(await listIds(request, role, '')).toHaveLength(visibleTo(role).length);
    });
  }

  test('malformed parameters are 400 with no internal detail', async ({ request }) => {
    const bad: [string, Record<string, string>][] = [
      ['/api/activity', { ...RANGE, sort: 'event_time;DROP TABLE activity' }],
      ['/api/activity', { ...RANGE, limit: '100000' }],
      ['/api/activity', { from: '2024-01-01T00:00:00Z', to: '2026-01-12T00:00:00Z' }],
      ['/api/activity', { from: RANGE.to, to: RANGE.from }],
      ['/api/activity', { ...RANGE, cursor: "' OR 1=1 --" }],
      ['/api/stats/top', { ...RANGE, dimension: 'password' }],
      ['/api/export', { ...RANGE, format: 'xlsx' }],
      ['/api/suggest', { ...RANGE, field: 'command_text' }],
      ['/api/suggest', { ...RANGE, field: 'user', prefix: 'a*' }],
      ['/api/sessions', { ...RANGE }],
      ['/api/access-log', { action: 'drop' }],
      ['/api/export/not-a-uuid/manifest', {}],
    ];
    for (const [path, params] of bad) {
      const response = await apiGet(request, 'admin', path, params);
      await expectError(response, 400, 'invalid_request');
      expect(await response.text()).not.toMatch(/SELECT|read_parquet|duckdb|stack/i);
    }
    const twice = await request.get(
      `/api/activity?q=class:DDL&q=class:DML&from=${RANGE.from}&to=${RANGE.to}`,
      {
        headers: { cookie: (await sessionOf(request, 'admin')).cookie },
      },
    );
    await expectError(twice, 400, 'invalid_request');
  });
});

test.describe('ids outside the grant', () => {
  const idOf = (pred: (e: (typeof FIXTURES)[number]) => boolean) => {
    const event = STATEMENTS.find(pred);
    if (event === undefined) throw new Error('fixture missing');
    return event.event_id;
  };
  const cases: [RoleName, string, string][] = [
    ['security-lead', 'a DML event', idOf((e) => e.class === 'DML')],
    ['security-lead', 'a DQL event', idOf((e) => e.class === 'DQL')],
    ['app-team', 'a DDL event in sales', idOf((e) => e.class === 'DDL' && e.database_name === 'sales')],
    ['app-team', 'a DQL event in app', idOf((e) => e.class === 'DQL' && e.database_name === 'app')],
  ];
  for (const [role, what, id] of cases) {
    test(`${role} gets 404 for ${what}`, async ({ request }) => {
      await expectError(await apiGet(request, role, `/api/activity/${id}`), 404, 'not_found');
    });
  }
  test('a forged id is a 404, never an error', async ({ request }) => {
    for (const id of ["evt-000001' OR '1'='1", '%2A', 'evt-*']) {
      await expectError(await apiGet(request, 'auditor', `/api/activity/${id}`), 404, 'not_found');
    }
  });
});
