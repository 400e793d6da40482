import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '../config/schema';
import { FIXTURE_BASE_MICROS, makeActivityEvent, makeFixtureEvents } from './fixtures';
import { principalForRoles } from './grants';
import type { ActivityClass } from './schema';
import { oneUse } from './service-timeline';
import { createFixtureService, type FixtureService } from './test-service';

const RANGE = { from: '2026-01-10T00:00:00.000Z', to: '2026-01-12T00:00:00.000Z' };
const minute = (m: number) => BigInt(FIXTURE_BASE_MICROS + m * 60_000_000);
const iso = (m: number) => new Date(FIXTURE_BASE_MICROS / 1000 + m * 60_000).toISOString();

/** One SQL Server SPID used by two sessions, one after the other (the engine reuses ids). */
function reusedSession() {
  const use = (m: number, cls: ActivityClass, user: string) =>
    makeActivityEvent({
      event_time: minute(m),
      class: cls,
      command: cls,
      session_id: '52',
      db_user: user,
      database_name: 'app',
      engine: 'sqlserver',
      resource_id: 'db-SQLFIXTURE',
    });
  return [
    use(200, 'CONNECT', 'first'),
    use(201, 'DML', 'first'),
    use(210, 'DISCONNECT', 'first'),
    use(300, 'CONNECT', 'second'),
    use(301, 'DQL', 'second'),
    use(302, 'DDL', 'second'),
    use(320, 'DISCONNECT', 'second'),
  ];
}

describe('getSession with a reused session id', () => {
  let fx: FixtureService;
  const admin = principalForRoles('a', ['admin'], DEFAULT_ROLES);
  beforeAll(async () => {
    fx = await createFixtureService([...makeFixtureEvents(), ...reusedSession()]);
  });
  afterAll(async () => fx.cleanup());
  const lookup = (at?: string) => ({
    sessionId: '52',
    resourceId: 'db-SQLFIXTURE',
    ...RANGE,
    ...(at === undefined ? {} : { at }),
  });

  it('shows the use that holds `at`, from its connect to the next, and lists every connect', async () => {
    const s = await fx.service.getSession(admin, lookup(iso(201)));
    expect(s.events.map((e) => [e.class, e.db_user])).toEqual([
      ['CONNECT', 'first'],
      ['DML', 'first'],
      ['DISCONNECT', 'first'],
    ]);
    expect(s.summary).toMatchObject({ events: 3, durationMs: 10 * 60_000 });
    expect(s.connects).toEqual([`${iso(200).slice(0, -1)}000Z`, `${iso(300).slice(0, -1)}000Z`]);
    expect(s.range).toEqual({ from: s.connects[0], to: s.connects[1] });
  });

  it('shows the latest use without `at`', async () => {
    const s = await fx.service.getSession(admin, lookup());
    expect(s.events.map((e) => e.class)).toEqual(['CONNECT', 'DQL', 'DDL', 'DISCONNECT']);
    expect(s.summary).toMatchObject({ events: 4, durationMs: 20 * 60_000 });
    expect(s.range).toEqual({ from: s.connects[1], to: RANGE.to });
  });

  it('cannot split for a role that sees no CONNECT: the whole range, as before', async () => {
    const appTeam = principalForRoles('t', ['app-team'], DEFAULT_ROLES);
    const s = await fx.service.getSession(appTeam, lookup(iso(201)));
    expect(s.connects).toEqual([]);
    expect(s.range).toEqual(RANGE);
    expect(s.events.map((e) => e.class)).toEqual(['DML', 'DDL']);
  });
});

describe('oneUse', () => {
  const range = { from: '2026-01-10T00:00:00.000Z', to: '2026-01-11T00:00:00.000Z' };
  const connects = ['2026-01-10T01:00:00.000000Z', '2026-01-10T05:00:00.000000Z'];

  it('keeps the range with fewer than two connects', () => {
    expect(oneUse(range, [], undefined)).toEqual(range);
    expect(oneUse(range, connects.slice(0, 1), '2026-01-10T00:30:00.000Z')).toEqual(range);
  });

  it('takes the events before the first connect when `at` is before it', () => {
    expect(oneUse(range, connects, '2026-01-10T00:30:00.000Z')).toEqual({
      from: range.from,
      to: connects[0],
    });
  });

  it('starts a use at its connect, inclusive', () => {
    expect(oneUse(range, connects, connects[1])).toEqual({ from: connects[1], to: range.to });
  });
});
