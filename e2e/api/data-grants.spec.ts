import { expect, test } from '@playwright/test';
import { FIXTURE_LITERALS } from '../../lib/audit/fixtures';
import { apiGet, countBy, getJson, RANGE, type RoleName, STATEMENTS, visibleTo, WIDE } from './data-helpers';

/**
 * Need-to-know across every route: security-lead never receives a DML/DQL row, app-team never a
 * literal of masked text, export and the access log only with their rights.
 */

type Listed = { event_id: string; class: string; command: string };
const HIDDEN_FROM_LEAD = new Set(['DML', 'DQL']);

async function expectForbidden(response: Awaited<ReturnType<typeof apiGet>>): Promise<void> {
  expect(response.status()).toBe(403);
  expect(response.headers()['content-type']).toContain('application/json');
  expect(response.headers()['content-disposition']).toBeUndefined();
  expect(response.headers()['x-export-id']).toBeUndefined();
  const body = await response.json();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe('forbidden');
}

test('security-lead never receives a DML or DQL row from any route', async ({ request }) => {
  const role = 'security-lead';
  const list = (await getJson(request, role, '/api/activity', WIDE)) as { events: Listed[] };
  expect(list.events.filter((e) => HIDDEN_FROM_LEAD.has(e.class))).toEqual([]);

  const counts = (await getJson(request, role, '/api/stats/counts', RANGE)) as {
    buckets: { counts: Record<string, number> }[];
  };
  const classes = new Set(counts.buckets.flatMap((b) => Object.keys(b.counts)));
  expect([...classes].filter((c) => HIDDEN_FROM_LEAD.has(c))).toEqual([]);

  const overview = (await getJson(request, role, '/api/stats/overview', RANGE)) as { events: number };
  expect(overview.events).toBe(visibleTo(role).length);

  const top = (await getJson(request, role, '/api/stats/top', { ...RANGE, dimension: 'user', n: '100' })) as {
    values: { value: string; count: number }[];
  };
  const expectedTop = countBy(visibleTo(role), (e) => e.db_user);
  expect(new Map(top.values.map((v) => [v.value, v.count]))).toEqual(expectedTop);

  const timeline = (await getJson(request, role, '/api/ddl-timeline', WIDE)) as { entries: Listed[] };
  expect(timeline.entries.every((e) => e.class === 'DDL')).toBe(true);

  const session = (await getJson(request, role, '/api/sessions', { ...RANGE, sessionId: 'sess-life' })) as {
    events: Listed[];
    summary: { events: number };
  };
  expect(session.events.map((e) => e.class)).toEqual(['CONNECT', 'DISCONNECT']);
  expect(session.summary.events).toBe(2);

  const commands = (await getJson(request, role, '/api/suggest', { ...WIDE, field: 'command', n: '50' })) as {
    values: { value: string }[];
  };
  const allowed = new Set(visibleTo(role).map((e) => e.command));
  expect(commands.values.map((v) => v.value).sort()).toEqual([...allowed].sort());
});

test('app-team never sees a literal of masked text', async ({ request }) => {
  const role = 'app-team';
  const bodies: string[] = [];
  const read = async (path: string, params: Record<string, string> = {}) => {
    const response = await apiGet(request, role, path, params);
    expect(response.status(), path).toBe(200);
    bodies.push(await response.text());
  };
  await read('/api/activity', WIDE);
  for (const event of visibleTo(role)) await read(`/api/activity/${event.event_id}`);
  await read('/api/ddl-timeline', WIDE);
  await read('/api/sessions', { ...RANGE, sessionId: 'sess-life' });
  for (const field of ['user', 'db', 'object', 'host', 'app', 'command', 'cluster']) {
    await read('/api/suggest', { ...WIDE, field, n: '50' });
  }
  for (const dimension of ['user', 'database', 'object', 'host']) {
    await read('/api/stats/top', { ...RANGE, dimension, n: '100' });
  }
  expect(bodies).toHaveLength(visibleTo(role).length + 14);
  for (const literal of FIXTURE_LITERALS) {
    expect(
      bodies.filter((b) => b.includes(literal)),
      literal,
    ).toEqual([]);
  }
  const detail = JSON.parse(bodies[1] ?? '{}') as { event: { text_masked: boolean; raw: string | null } };
  expect(detail.event).toMatchObject({ text_masked: true, raw: null });
});

test('the same reads show the literals to a full-text role (the check above can fail)', async ({
  request,
}) => {
  const create = STATEMENTS.find((e) => e.command === 'CREATE TABLE' && e.database_name === 'app');
  const response = await apiGet(request, 'auditor', `/api/activity/${create?.event_id}`);
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain('s3cr3t-literal');
});

test.describe('export rights', () => {
  for (const role of ['security-lead', 'app-team'] as const) {
    test(`${role} may not export: 403 and no body`, async ({ request }) => {
      for (const format of ['csv', 'ndjson']) {
        await expectForbidden(await apiGet(request, role, '/api/export', { ...RANGE, format }));
      }
    });
  }

  test('an export-only-some-classes role gets exactly its classes and databases, masked', async ({
    request,
  }) => {
    const role: RoleName = 'e2e-exporter';
    const response = await apiGet(request, role, '/api/export', {
      ...RANGE,
      q: 'class:* db:*',
      format: 'ndjson',
    });
    expect(response.status()).toBe(200);
    const text = await response.text();
    const rows = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { event_id: string; raw: string | null });
    expect(rows.map((r) => r.event_id).sort()).toEqual(
      visibleTo(role)
        .map((e) => e.event_id)
        .sort(),
    );
    expect(rows.every((r) => r.raw === null)).toBe(true);
    for (const literal of FIXTURE_LITERALS) expect(text).not.toContain(literal);
    await expectForbidden(await apiGet(request, role, '/api/export', { ...RANGE, q: 'class:DML' }));
    await expectForbidden(await apiGet(request, role, '/api/export', { ...RANGE, q: 'db:sales' }));
  });
});

test('the access log is for roles with the access-log right only', async ({ request }) => {
  for (const role of ['auditor', 'security-lead', 'app-team', 'e2e-exporter'] as const) {
    await expectForbidden(await apiGet(request, role, '/api/access-log'));
    await expectForbidden(await apiGet(request, role, '/api/access-log', { format: 'csv' }));
  }
});
