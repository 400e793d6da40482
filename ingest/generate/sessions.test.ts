import { describe, expect, it } from 'vitest';
import type { Engine } from '../../lib/audit/schema';
import { type FlatEvent, parseMicros, run, WEEK } from './test-helpers';
import { isFailedStatement } from './traffic-stats';
import type { DasEvent } from './types';

const { events } = run({ seed: 21, events: 50_000, ...WEEK });

const LOGIN: Readonly<Record<Engine, (e: DasEvent) => boolean>> = {
  postgresql: (e) => e.command === 'CONNECT',
  mysql: (e) => e.command === 'CONNECT',
  oracle: (e) => e.command === 'LOGON' && e.exitCode === 0,
  sqlserver: (e) => e.command === 'LOGIN SUCCEEDED',
};
const LOGOUT: Readonly<Record<Engine, string>> = {
  postgresql: 'DISCONNECT',
  mysql: 'DISCONNECT',
  oracle: 'LOGOFF',
  sqlserver: 'LOGOUT',
};

/** What must not change within a session (MySQL CHANGEUSER may switch the user). */
const identity = (e: DasEvent, withUser: boolean) =>
  JSON.stringify([
    withUser ? e.dbUserName : '',
    e.databaseName,
    e.remoteHost,
    e.remotePort,
    e.clientApplication,
    e.pid,
  ]);

interface Problems {
  noLogin: number;
  twiceOpen: number;
  changed: number;
  stillOpen: number;
  statements: number;
}

function checkSessions(all: readonly FlatEvent[]): Problems {
  const open = new Map<string, string>();
  const p: Problems = { noLogin: 0, twiceOpen: 0, changed: 0, stillOpen: 0, statements: 0 };
  for (const { source, instanceId, event: e, cls } of all) {
    if (cls === 'AUTH_FAILURE') continue;
    const engine = source.engine;
    const key = `${instanceId}|${e.sessionId}`;
    const withUser = engine !== 'mysql';
    if (LOGIN[engine](e)) {
      if (open.has(key)) p.twiceOpen += 1;
      open.set(key, identity(e, withUser));
      continue;
    }
    const known = open.get(key);
    if (known === undefined) {
      p.noLogin += 1;
      continue;
    }
    if (known !== identity(e, withUser)) p.changed += 1;
    if (e.command === LOGOUT[engine]) open.delete(key);
    else p.statements += 1;
  }
  p.stillOpen = open.size;
  return p;
}

describe('simulated sessions', () => {
  it('log in before their statements, keep their identity and log out within the span', () => {
    const problems = checkSessions(events);
    expect(problems.statements).toBeGreaterThan(20_000);
    expect({ ...problems, statements: 0 }).toEqual({
      noLogin: 0,
      twiceOpen: 0,
      changed: 0,
      stillOpen: 0,
      statements: 0,
    });
  });

  it('number PostgreSQL statements per session and start the session id at the session start', () => {
    const last = new Map<string, number>();
    let broken = 0;
    for (const { source, instanceId, event: e } of events) {
      if (source.engine !== 'postgresql' || e.command === 'AUTH FAILURE') continue;
      const key = `${instanceId}|${e.sessionId}`;
      const id = Number(e.statementId);
      if (e.command === 'CONNECT') {
        const epoch = Number.parseInt(String(e.sessionId).split('.')[0] ?? '', 16);
        if (id !== 1 || Math.abs(epoch * 1e6 - parseMicros(String(e.logTime))) > 5e6) broken += 1;
      } else if (id !== (last.get(key) ?? 0) + 1) broken += 1;
      last.set(key, id);
    }
    expect(last.size).toBeGreaterThan(500);
    expect(broken).toBe(0);
  });

  it('close every explicit transaction they open', () => {
    const open = new Map<string, number>();
    for (const { source, instanceId, event: e } of events) {
      const key = `${instanceId}|${e.sessionId}`;
      const text = String(e.commandText ?? '');
      if (/^(BEGIN|START TRANSACTION)/.test(text)) open.set(key, (open.get(key) ?? 0) + 1);
      if (/^(COMMIT|ROLLBACK)/.test(text) && source.engine !== 'oracle')
        open.set(key, (open.get(key) ?? 0) - 1);
    }
    expect([...open.values()].filter((n) => n !== 0)).toEqual([]);
  });

  it('include bursts of failed log-ins from one host against one user', () => {
    const bursts = new Map<string, number>();
    for (const { instanceId, event: e, cls } of events) {
      if (cls !== 'AUTH_FAILURE') continue;
      const key = `${instanceId}|${e.remoteHost}|${e.dbUserName}`;
      bursts.set(key, (bursts.get(key) ?? 0) + 1);
    }
    expect(Math.max(...bursts.values())).toBeGreaterThanOrEqual(20);
  });

  it('send every class of statement and connection event', () => {
    const classes = new Map<string, number>();
    for (const e of events) classes.set(e.cls, (classes.get(e.cls) ?? 0) + 1);
    for (const cls of ['DDL', 'DCL', 'TCL', 'DQL', 'DML', 'OTHER', 'CONNECT', 'DISCONNECT', 'AUTH_FAILURE'])
      expect({ cls, seen: (classes.get(cls) ?? 0) > 10 }).toEqual({ cls, seen: true });
    const dql = classes.get('DQL') ?? 0;
    const ddl = classes.get('DDL') ?? 0;
    expect(dql).toBeGreaterThan(20 * ddl); // mostly reads, schema changes are rare
  });

  it('fail some statements on every engine, with the engine error fields', () => {
    for (const engine of ['postgresql', 'mysql', 'oracle', 'sqlserver'] as const) {
      const failed = events.filter((e) => e.source.engine === engine && isFailedStatement(engine, e.event));
      expect({ engine, some: failed.length > 5 }).toEqual({ engine, some: true });
      if (engine === 'postgresql')
        expect(
          failed.every((e) => /^[0-9A-Z]{5}$/.test(String(e.event.exitCode)) && e.event.errorMessage),
        ).toBe(true);
      if (engine === 'mysql')
        expect(failed.every((e) => /^\d+$/.test(String(e.event.exitCode)) && e.event.errorMessage)).toBe(
          true,
        );
    }
    const pgCodes = new Set(
      events.filter((e) => e.source.engine === 'postgresql').map((e) => e.event.exitCode),
    );
    for (const code of ['42P01', '42501', '28P01']) expect(pgCodes).toContain(code);
  });

  it('let read-only replicas refuse writes', () => {
    const refused = events.filter((e) => e.event.exitCode === '25006' || e.event.exitCode === '1290');
    expect(refused.length).toBeGreaterThan(0);
  });
});
