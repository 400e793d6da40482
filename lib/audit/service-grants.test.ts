import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '../config/schema';
import { ForbiddenError, NotFoundError } from '../http/errors';
import { FIXTURE_LITERALS } from './fixtures';
import { principalForRoles } from './grants';
import type { ClassifiedEvent } from './schema';
import { createFixtureService, FIXTURE_NOW, type FixtureService } from './test-service';

const RANGE = { from: '2026-01-10T00:00:00.000Z', to: '2026-01-12T00:00:00.000Z' };
const as = (role: string) => principalForRoles(`${role}-user`, [role], DEFAULT_ROLES);

let fx: FixtureService;
beforeAll(async () => {
  fx = await createFixtureService();
});
afterAll(async () => fx.cleanup());

function visibleTo(role: string, e: ClassifiedEvent): boolean {
  const grant = DEFAULT_ROLES[role];
  if (grant === undefined) return false;
  const classOk = grant.classes === '*' || grant.classes.includes(e.class);
  const dbOk = grant.databases === '*' || grant.databases.includes(e.database_name);
  const resOk = grant.resources === '*' || grant.resources.includes(e.resource_id);
  return classOk && dbOk && resOk && !e.is_aux;
}

const leaks = (text: string) => FIXTURE_LITERALS.filter((literal) => text.includes(literal));

describe('reads under each default role', () => {
  it.each(Object.keys(DEFAULT_ROLES))('%s sees exactly the events its grant covers', async (role) => {
    const page = await fx.service.listEvents(as(role), { range: RANGE, limit: 1000 });
    const expected = fx.events
      .filter((e) => visibleTo(role, e))
      .map((e) => e.event_id)
      .sort();
    expect(page.events.map((e) => e.event_id).sort()).toEqual(expected);
    const overview = await fx.service.overview(as(role), { range: RANGE });
    expect(overview.events).toBe(expected.length);
  });

  it('narrows silently: app-team asking for every class and db:* gets DDL and DML of app', async () => {
    const page = await fx.service.listEvents(as('app-team'), {
      range: RANGE,
      limit: 1000,
      filters: { class: [{ values: ['*'], negate: false }], db: [{ values: ['*'], negate: false }] },
    });
    expect(new Set(page.events.map((e) => `${e.class}/${e.database_name}`))).toEqual(
      new Set(['DDL/app', 'DML/app']),
    );
  });

  it('refuses what the grant does not cover at all', async () => {
    const sales = { range: RANGE, filters: { db: [{ values: ['sales'], negate: false }] } };
    await expect(fx.service.listEvents(as('app-team'), sales)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(fx.service.countsOverTime(as('app-team'), sales)).rejects.toBeInstanceOf(ForbiddenError);
    const dml = { range: RANGE, filters: { class: [{ values: ['DML'], negate: false }] } };
    await expect(fx.service.overview(as('security-lead'), dml)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(fx.service.ddlTimeline(as('security-lead'), { range: RANGE })).resolves.toBeDefined();
    await expect(fx.service.authFailures(as('app-team'), { range: RANGE })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('hides other databases behind 404 for a direct id', async () => {
    const salesDml = fx.events.find((e) => e.class === 'DML' && e.database_name === 'sales');
    await expect(
      fx.service.getEvent(as('app-team'), { id: salesDml?.event_id ?? '' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('masked statement text', () => {
  it('never shows a fixture literal in list previews, details, companions or timelines', async () => {
    const appTeam = as('app-team');
    const page = await fx.service.listEvents(appTeam, { range: RANGE, limit: 1000 });
    expect(page.events.length).toBeGreaterThan(0);
    expect(page.events.every((e) => e.text_masked)).toBe(true);
    expect(leaks(JSON.stringify(page))).toEqual([]);
    for (const e of page.events.slice(0, 6)) {
      const view = await fx.service.getEvent(appTeam, { id: e.event_id });
      expect(view.event.raw).toBeNull();
      expect(leaks(JSON.stringify(view))).toEqual([]);
    }
    const timeline = await fx.service.ddlTimeline(appTeam, { range: RANGE, limit: 1000 });
    expect(timeline.entries.some((e) => e.command_text?.includes('DEFAULT ?'))).toBe(true);
    expect(leaks(JSON.stringify(timeline))).toEqual([]);
  });

  it('masks bind parameters but keeps their count', async () => {
    const dml = fx.events.find(
      (e) => e.class === 'DML' && e.database_name === 'app' && e.param_list !== null,
    );
    const view = await fx.service.getEvent(as('app-team'), { id: dml?.event_id ?? '' });
    expect(view.event.param_list).toBe('["?","?"]');
    expect(view.event.command_text).not.toBeNull();
  });

  it('shows full text to a full-text role', async () => {
    const dml = fx.events.find(
      (e) => e.class === 'DML' && e.database_name === 'app' && e.param_list !== null,
    );
    const view = await fx.service.getEvent(as('auditor'), { id: dml?.event_id ?? '' });
    expect(view.event.command_text).toBe(dml?.command_text);
    expect(view.event.raw).toBe(dml?.raw);
    expect(view.event.text_masked).toBe(false);
  });
});

describe('access log', () => {
  it('records who searched and viewed what; only access-log roles may read it', async () => {
    const before = FIXTURE_NOW.toISOString();
    const auditor = as('auditor');
    await fx.service.listEvents(auditor, { range: RANGE, limit: 3 }, { requestId: 'req-1' });
    const id = fx.events[0]?.event_id ?? '';
    await fx.service.getEvent(auditor, { id }, { requestId: 'req-2' });
    const log = await fx.service.readAccessLog(as('admin'), {
      from: RANGE.from,
      to: new Date(Date.parse(before) + 1).toISOString(),
      limit: 1000,
    });
    const mine = log.entries.filter((e) => e.user === 'auditor-user');
    expect(mine.find((e) => e.requestId === 'req-1')).toMatchObject({
      action: 'search',
      rows: 3,
      roles: ['auditor'],
    });
    expect(mine.find((e) => e.requestId === 'req-1')?.query).toMatchObject({
      q: '',
      from: RANGE.from,
      limit: 3,
    });
    expect(mine.find((e) => e.requestId === 'req-2')).toMatchObject({
      action: 'view',
      rows: 1,
      query: { eventId: id },
    });
    await expect(
      fx.service.readAccessLog(auditor, { from: RANGE.from, to: RANGE.to }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});
