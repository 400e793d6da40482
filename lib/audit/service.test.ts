import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '../config/schema';
import { NotFoundError } from '../http/errors';
import { principalForRoles } from './grants';
import type { ActivityQueryInput } from './query-model';
import type { ClassifiedEvent } from './schema';
import { createFixtureService, type FixtureService } from './test-service';

const admin = principalForRoles('admin-user', ['admin'], DEFAULT_ROLES);
const securityLead = principalForRoles('sec', ['security-lead'], DEFAULT_ROLES);
const RANGE = { from: '2026-01-10T00:00:00.000Z', to: '2026-01-12T00:00:00.000Z' };
const micros = (iso: string) => BigInt(Date.parse(iso)) * 1000n;
const inRange = (e: ClassifiedEvent) => e.event_time >= micros(RANGE.from) && e.event_time < micros(RANGE.to);

let fx: FixtureService;
let statements: ClassifiedEvent[];

beforeAll(async () => {
  fx = await createFixtureService();
  statements = fx.events.filter((e) => !e.is_aux && inRange(e));
});
afterAll(async () => fx.cleanup());

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

const cmp = (a: ClassifiedEvent, b: ClassifiedEvent) =>
  a.event_time === b.event_time ? (a.event_id < b.event_id ? -1 : 1) : a.event_time < b.event_time ? -1 : 1;

/** Every page's event ids, following nextCursor to the end. */
async function walk(query: ActivityQueryInput): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 100; n++) {
    const page = await fx.service.listEvents(admin, {
      ...query,
      ...(cursor === undefined ? {} : { cursor }),
    });
    pages.push(page.events.map((e) => e.event_id));
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

describe('countsOverTime', () => {
  it('counts each class per 15-minute bucket exactly as the fixture holds them', async () => {
    const result = await fx.service.countsOverTime(admin, { range: RANGE });
    expect(result.grain).toBe('15 minutes');
    expect(result.buckets).toHaveLength(192);
    const expected = countBy(
      statements,
      (e) => `${Math.floor(Number(e.event_time / 1000n) / 900_000) * 900_000}|${e.class}`,
    );
    const actual: Record<string, number> = {};
    for (const b of result.buckets) {
      for (const [cls, n] of Object.entries(b.counts)) actual[`${Date.parse(b.start)}|${cls}`] = n;
    }
    expect(actual).toEqual(expected);
    expect(result.buckets.reduce((s, b) => s + b.total, 0)).toBe(statements.length);
  });
});

describe('overview', () => {
  it('totals statements, DDL, DCL, failures and users', async () => {
    const o = await fx.service.overview(admin, { range: RANGE });
    expect(o).toEqual({
      events: statements.length,
      ddl: statements.filter((e) => e.class === 'DDL').length,
      dcl: statements.filter((e) => e.class === 'DCL').length,
      failed: statements.filter((e) => e.failed).length,
      errors: statements.filter((e) => e.failed || e.class === 'ERROR').length,
      authFailures: statements.filter((e) => e.class === 'AUTH_FAILURE').length,
      distinctUsers: new Set(statements.map((e) => e.db_user)).size,
    });
  });

  it('counts AUX companions only when asked (aux:any)', async () => {
    const o = await fx.service.overview(admin, { range: RANGE, filters: { aux: 'any' } });
    expect(o.events).toBe(fx.events.filter(inRange).length);
  });
});

describe('listEvents pagination', () => {
  it.each([
    ['desc', 7],
    ['asc', 11],
  ] as const)('walks every row exactly once, ties on event_time included (%s)', async (direction, limit) => {
    const pages = await walk({ range: RANGE, limit, sort: { column: 'event_time', direction } });
    const expected = [...statements].sort(cmp).map((e) => e.event_id);
    expect(pages.flat()).toEqual(direction === 'asc' ? expected : expected.reverse());
    // At least one page boundary falls between two events with the same event_time.
    const timeOf = new Map(statements.map((e) => [e.event_id, e.event_time]));
    const splitTie = pages
      .slice(1)
      .some((page, i) => timeOf.get(page[0] ?? '') === timeOf.get(pages[i]?.at(-1) ?? ''));
    expect(splitTie).toBe(true);
  });

  it('walks a sort on db_user with event_time and event_id as tie-breakers', async () => {
    const ids = (
      await walk({ range: RANGE, limit: 25, sort: { column: 'db_user', direction: 'asc' } })
    ).flat();
    const expected = [...statements]
      .sort((a, b) => (a.db_user === b.db_user ? cmp(a, b) : a.db_user < b.db_user ? -1 : 1))
      .map((e) => e.event_id);
    expect(ids).toEqual(expected);
  });
});

describe('listEvents filters', () => {
  const ids = async (filters: ActivityQueryInput['filters']) =>
    (await fx.service.listEvents(admin, { range: RANGE, filters, limit: 1000 })).events
      .map((e) => e.event_id)
      .sort();
  const expectIds = (pred: (e: ClassifiedEvent) => boolean) =>
    statements
      .filter(pred)
      .map((e) => e.event_id)
      .sort();

  it('matches wildcards', async () => {
    expect(await ids({ object: [{ values: ['public.*'], negate: false }] })).toEqual(
      expectIds((e) => e.object_name?.startsWith('public.') ?? false),
    );
    expect(await ids({ host: [{ values: ['10.1.*', '203.*'], negate: false }] })).toEqual(
      expectIds((e) => /^(10\.1\.|203\.)/.test(e.remote_host ?? '')),
    );
  });

  it('negates, keeping rows where the column is empty', async () => {
    expect(await ids({ user: [{ values: ['rdsadmin'], negate: true }] })).toEqual(
      expectIds((e) => e.db_user !== 'rdsadmin'),
    );
    expect(await ids({ object: [{ values: ['public.orders'], negate: true }] })).toEqual(
      expectIds((e) => e.object_name !== 'public.orders'),
    );
  });

  it('searches statement text case-insensitively, words AND-ed, LIKE metacharacters literal', async () => {
    expect(await ids({ text: ['S3CR3T-LITERAL', 'orders'] })).toEqual(
      expectIds((e) => /s3cr3t-literal/i.test(e.command_text ?? '') && /orders/i.test(e.command_text ?? '')),
    );
    expect(await ids({ text: ['tmp_import'] })).toEqual(
      expectIds((e) => (e.command_text ?? '').includes('tmp_import')),
    );
    expect(await ids({ text: ['tmp%import'] })).toEqual([]);
  });

  it('filters failed and class', async () => {
    expect(await ids({ failed: true, class: [{ values: ['D*'], negate: false }] })).toEqual(
      expectIds((e) => e.failed && e.class.startsWith('D')),
    );
  });
});

describe('getEvent', () => {
  const mysqlMain = () => fx.events.find((e) => e.engine === 'mysql' && !e.is_aux && e.statement_id === '77');

  it('returns a MySQL MAIN event with its AUX companions', async () => {
    const main = mysqlMain();
    if (main === undefined) throw new Error('fixture lacks the MySQL event');
    const view = await fx.service.getEvent(admin, { id: main.event_id });
    expect(view.event.event_id).toBe(main.event_id);
    expect(view.event.command_text).toBe(main.command_text);
    expect(view.companions.map((c) => c.is_aux)).toEqual([true, true]);
    expect(view.companions.map((c) => c.event_id)).toEqual(
      fx.events.filter((e) => e.is_aux && e.statement_id === '77').map((e) => e.event_id),
    );
  });

  it('finds the MAIN event from an AUX one, and narrows the scan with `at`', async () => {
    const aux = fx.events.find((e) => e.is_aux);
    if (aux === undefined) throw new Error('fixture lacks AUX events');
    const view = await fx.service.getEvent(admin, { id: aux.event_id, at: '2026-01-10T03:20:00Z' });
    expect(view.companions.map((c) => c.is_aux)).toEqual([false, true]);
  });

  it('answers 404 for a missing id and for an event the grant hides', async () => {
    const dml = fx.events.find((e) => e.class === 'DML');
    await expect(fx.service.getEvent(admin, { id: 'evt-nope' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(fx.service.getEvent(securityLead, { id: dml?.event_id ?? '' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('getSession', () => {
  it('shows connect → statements → disconnect with duration and rows', async () => {
    const s = await fx.service.getSession(admin, { sessionId: 'sess-life', ...RANGE });
    expect(s.events.map((e) => e.class)).toEqual(['CONNECT', 'DML', 'DQL', 'DISCONNECT']);
    expect(s.summary).toMatchObject({ events: 4, durationMs: 5 * 60_000, totalRows: 10, failed: 0 });
    expect(s.truncated).toBe(false);
  });

  it('shows only what the grant covers', async () => {
    const s = await fx.service.getSession(securityLead, { sessionId: 'sess-life', ...RANGE });
    expect(s.events.map((e) => e.class)).toEqual(['CONNECT', 'DISCONNECT']);
  });
});

describe('ddlTimeline, topValues, authFailures', () => {
  it('lists DDL changes per object, newest first, keyset-paged', async () => {
    const first = await fx.service.ddlTimeline(admin, {
      range: RANGE,
      filters: { object: [{ values: ['public.orders'], negate: false }] },
      limit: 5,
    });
    const rest = await fx.service.ddlTimeline(admin, {
      range: RANGE,
      filters: { object: [{ values: ['public.orders'], negate: false }] },
      limit: 1000,
      cursor: first.nextCursor ?? '',
    });
    const expected = statements
      .filter((e) => e.class === 'DDL' && e.object_name === 'public.orders')
      .sort(cmp)
      .reverse();
    expect([...first.entries, ...rest.entries].map((e) => e.event_id)).toEqual(
      expected.map((e) => e.event_id),
    );
    expect(first.entries[0]).toMatchObject({
      class: 'DDL',
      db_user: expected[0]?.db_user,
      remote_host: expected[0]?.remote_host,
    });
  });

  it('ranks users by event count', async () => {
    const top = await fx.service.topValues(admin, { query: { range: RANGE }, dimension: 'users', n: 3 });
    const counts = Object.entries(countBy(statements, (e) => e.db_user)).sort(
      (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
    );
    expect(top.values.map((v) => [v.value, v.count])).toEqual(counts.slice(0, 3));
  });

  it('groups auth failures by user and source, and over time', async () => {
    const a = await fx.service.authFailures(admin, { range: RANGE });
    expect(a.bySource.map((s) => [s.user, s.host, s.count])).toEqual([
      ['mallory', '203.0.113.9', 3],
      ['bob', '198.51.100.4', 2],
      ['mallory', '198.51.100.4', 1],
    ]);
    expect(a.overTime.reduce((s, b) => s + b.count, 0)).toBe(6);
  });
});
