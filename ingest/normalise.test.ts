import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ClassifiedEvent } from '../lib/audit/schema';
import { PermanentRecordError } from './errors';
import { type NormalisedItem, normalisePayload } from './normalise';
import { parsePayload } from './payload-schema';

const CTX = { resourceId: 'cluster-ABC', dasVersion: '1.2', ingestedAt: 42n };

/** A minimal Aurora PostgreSQL record event; override any field. */
function pgEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'record',
    class: 'READ',
    command: 'SELECT',
    commandText: 'select 1',
    databaseName: 'app',
    dbUserName: 'alice',
    logTime: '2024-03-01 10:00:00.000200+00',
    startTime: '2024-03-01 10:00:00.000100+00',
    serverType: 'PostgreSQL',
    serviceName: 'Amazon Aurora PostgreSQL-Compatible edition',
    dbProtocol: 'Postgres 3.0',
    serverHost: '10.0.0.1',
    serverVersion: '15.4',
    sessionId: '65e1a7c0.1f40',
    statementId: 3,
    substatementId: 1,
    pid: 8000,
    exitCode: null,
    errorMessage: null,
    paramList: [],
    ...overrides,
  };
}

function payloadOf(events: unknown[], top: Record<string, unknown> = {}) {
  return parsePayload({
    type: 'DatabaseActivityMonitoringRecord',
    clusterId: 'cluster-ABC',
    instanceId: 'db-XYZ',
    databaseActivityEventList: events,
    ...top,
  });
}

function eventsOf(items: NormalisedItem[]): ClassifiedEvent[] {
  return items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
}

function normaliseOne(overrides: Record<string, unknown>): ClassifiedEvent {
  const [event] = eventsOf(normalisePayload(payloadOf([pgEvent(overrides)]), CTX));
  if (!event) throw new Error('no event');
  return event;
}

describe('parsePayload', () => {
  it('accepts a payload without clusterId and with unknown fields', () => {
    // Act
    const payload = payloadOf([], { clusterId: undefined, futureField: { a: 1 } });
    const items = normalisePayload(payloadOf([pgEvent()], { clusterId: undefined }), CTX);
    // Assess
    expect(payload.instanceId).toBe('db-XYZ');
    expect(eventsOf(items)[0]?.cluster_id).toBe('');
  });

  it.each([
    [
      'wrong type',
      { type: 'DatabaseActivityMonitoringRecords', instanceId: 'db-x', databaseActivityEventList: [] },
    ],
    ['no instanceId', { type: 'DatabaseActivityMonitoringRecord', databaseActivityEventList: [] }],
    [
      'list not an array',
      { type: 'DatabaseActivityMonitoringRecord', instanceId: 'db-x', databaseActivityEventList: {} },
    ],
    ['not an object', 'DatabaseActivityMonitoringRecord'],
  ])('rejects %s as payload-invalid', (_name, input) => {
    // Act / Assess
    expect(() => parsePayload(input)).toThrow(PermanentRecordError);
    try {
      parsePayload(input);
    } catch (err) {
      expect(err).toBeInstanceOf(PermanentRecordError);
      expect((err as PermanentRecordError).reason).toBe('payload-invalid');
    }
  });
});

describe('normalisePayload', () => {
  it('keeps the order of heartbeats, events and invalid events', () => {
    // Prepare
    const list = [{ type: 'heartbeat' }, pgEvent(), 'not an object', pgEvent({ logTime: 'yesterday' })];
    // Act
    const items = normalisePayload(payloadOf(list), CTX);
    // Assess
    expect(items.map((i) => i.kind)).toEqual(['heartbeat', 'event', 'invalid', 'invalid']);
    expect(items[2]).toMatchObject({ kind: 'invalid', index: 2 });
    expect(items[3]).toMatchObject({ kind: 'invalid', index: 3 });
  });

  it('treats an event without type (Oracle) as a record, not a heartbeat', () => {
    // Prepare
    const { type: _omitted, ...untyped } = pgEvent();
    // Act
    const items = normalisePayload(payloadOf([untyped]), CTX);
    // Assess
    expect(items[0]?.kind).toBe('event');
  });

  it.each([
    ['a wrong-typed field', { pid: 'eight thousand' }, 'pid'],
    ['no logTime', { logTime: undefined }, 'logTime'],
    ['no command', { command: undefined }, 'command'],
    ['an unknown engine', { serverType: 'Db2', serviceName: 'db2', dbProtocol: 'DRDA' }, 'engine'],
  ])('reports %s as invalid, naming the field and not its value', (_name, overrides, field) => {
    // Act
    const [item] = normalisePayload(
      payloadOf([pgEvent({ ...overrides, commandText: 'secret-literal' })]),
      CTX,
    );
    // Assess
    if (item?.kind !== 'invalid') throw new Error('expected invalid');
    expect(item.error).toContain(field);
    expect(item.error).not.toContain('eight thousand');
    expect(item.error).not.toContain('secret-literal');
  });

  it('keeps unknown fields in raw and serialises the original event untouched', () => {
    // Prepare
    const original = pgEvent({ brandNewField: { nested: [1, 'x'] } });
    // Act
    const event = normaliseOne({ brandNewField: { nested: [1, 'x'] } });
    // Assess
    expect(event.raw).toBe(JSON.stringify(original));
  });

  it('uses startTime for event_time, logTime when startTime is absent or unreadable', () => {
    // Act
    const withStart = normaliseOne({});
    const noStart = normaliseOne({ startTime: null });
    const badStart = normaliseOne({ startTime: 'soon' });
    // Assess
    expect(withStart.event_time).toBe(withStart.log_time - 100n);
    expect(noStart.event_time).toBe(noStart.log_time);
    expect(badStart.event_time).toBe(badStart.log_time);
  });

  it('derives the engine from serverType, dbProtocol or serviceName', () => {
    // Act
    const engines = [
      normaliseOne({ serverType: 'MySQL' }).engine,
      normaliseOne({ serverType: null, dbProtocol: 'oracle' }).engine,
      normaliseOne({ serverType: undefined, dbProtocol: undefined, serviceName: 'sqlserver-ee' }).engine,
      normaliseOne({}).engine,
    ];
    // Assess
    expect(engines).toEqual(['mysql', 'oracle', 'sqlserver', 'postgresql']);
  });

  it('writes numbers and ids as text, empty exit codes and messages as null', () => {
    // Act
    const ev = normaliseOne({
      exitCode: 0,
      sessionId: 77,
      statementId: '0xab',
      remotePort: 5432,
      errorMessage: '',
    });
    const blank = normaliseOne({ exitCode: '' });
    // Assess
    expect(ev.exit_code).toBe('0');
    expect(ev.session_id).toBe('77');
    expect(ev.statement_id).toBe('0xab');
    expect(ev.remote_port).toBe('5432');
    expect(ev.error_message).toBeNull();
    expect(ev.substatement_id).toBe(1n);
    expect(ev.pid).toBe(8000n);
    expect(blank.exit_code).toBeNull();
  });

  it.each([
    ['PG error message', { errorMessage: 'boom' }, true],
    ['PG SQLSTATE error', { exitCode: '23505' }, true],
    ['PG SQLSTATE warning', { exitCode: '01000' }, false],
    ['PG success SQLSTATE', { exitCode: '00000' }, false],
    ['PG exit code of a disconnect', { command: 'DISCONNECT', exitCode: '57P01' }, false],
    ['PG AUTH FAILURE', { command: 'AUTH FAILURE' }, true],
    ['MySQL 0', { serverType: 'MySQL', exitCode: '0', errorMessage: '' }, false],
    ['MySQL 1146', { serverType: 'MySQL', exitCode: '1146', errorMessage: '' }, true],
    ['MySQL AUX blank', { serverType: 'MySQL', exitCode: '', class: 'AUX' }, false],
    ['MySQL FAILED_CONNECT', { serverType: 'MySQL', command: 'FAILED_CONNECT', exitCode: '0' }, true],
    ['Oracle 0', { serverType: 'oracle', exitCode: 0 }, false],
    ['Oracle 1017', { serverType: 'oracle', exitCode: 1017 }, true],
    ['SQL Server 1', { serverType: 'SQLSERVER', exitCode: 1 }, false],
    ['SQL Server 0', { serverType: 'SQLSERVER', exitCode: 0 }, true],
    ['SQL Server LOGIN FAILED', { serverType: 'SQLSERVER', command: 'LOGIN FAILED', exitCode: null }, true],
  ])('failed: %s → %s', (_name, overrides, expected) => {
    // Act / Assess
    expect(normaliseOne(overrides).failed).toBe(expected);
  });

  it('flags MySQL AUX events only', () => {
    // Act / Assess
    expect(normaliseOne({ serverType: 'MySQL', class: 'AUX', command: 'READ' }).is_aux).toBe(true);
    expect(normaliseOne({ class: 'AUX' }).is_aux).toBe(false);
  });
});

describe('event_id', () => {
  it('is the documented SHA-256 of resource, instance, index and raw JSON', () => {
    // Prepare
    const original = pgEvent();
    // Act
    const [, item] = normalisePayload(payloadOf([{ type: 'heartbeat' }, original]), CTX);
    // Assess
    if (item?.kind !== 'event') throw new Error('expected event');
    const expected = createHash('sha256')
      .update(`cluster-ABC\ndb-XYZ\n1\n${JSON.stringify(original)}`)
      .digest('hex')
      .slice(0, 32);
    expect(item.event.event_id).toBe(expected);
  });

  it('is the same for the same input and differs for distinct events', () => {
    // Prepare
    const list = [pgEvent(), pgEvent(), pgEvent({ statementId: 4 })];
    // Act
    const first = eventsOf(normalisePayload(payloadOf(list), CTX)).map((e) => e.event_id);
    const again = eventsOf(normalisePayload(payloadOf(list), CTX)).map((e) => e.event_id);
    const otherResource = eventsOf(
      normalisePayload(payloadOf(list), { ...CTX, resourceId: 'cluster-OTHER' }),
    );
    // Assess
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(3);
    expect(otherResource[0]?.event_id).not.toBe(first[0]);
  });
});
