import { describe, expect, it } from 'vitest';
import type { Engine } from '../../lib/audit/schema';
import {
  FIELD_TYPES,
  jsonType,
  loadSamples,
  run,
  sampleEngine,
  TIMESTAMP_FORMAT,
  WEEK,
} from './test-helpers';
import type { DasEvent } from './types';

const EXTRA_FIELDS = new Set(['queryId', 'threadOsId', 'conId', 'sequenceGroupHint']);

const samples = loadSamples()
  .flatMap((p) => p.databaseActivityEventList)
  .filter((e) => e.type !== 'heartbeat');
const { events } = run({ seed: 11, events: 20_000, ...WEEK });
const byEngine = (engine: Engine) => events.filter((e) => e.source.engine === engine).map((e) => e.event);
const keysOf = (e: DasEvent) => Object.keys(e).filter((k) => !EXTRA_FIELDS.has(k));

/** AWS's fullest sample of an engine (PG #4 is the older v1.0 shape without startTime/errorMessage). */
function referenceKeys(engine: Engine): string[] {
  const own = samples.filter((e) => sampleEngine(e) === engine).map((e) => Object.keys(e));
  return own.reduce((a, b) => (b.length > a.length ? b : a), []);
}

describe.each(['postgresql', 'mysql', 'oracle', 'sqlserver'] as const)('%s events', (engine) => {
  const generated = byEngine(engine);

  it('have exactly the fields of AWS samples, in the same order', () => {
    const reference = referenceKeys(engine);
    expect(reference.length).toBeGreaterThan(20);
    expect(generated.length).toBeGreaterThan(1000);
    const shapes = new Set(generated.map((e) => keysOf(e).join(',')));
    expect([...shapes]).toEqual([reference.join(',')]);
  });

  it('use the JSON types AWS uses for each field', () => {
    const table = FIELD_TYPES[engine];
    for (const s of samples.filter((e) => sampleEngine(e) === engine))
      for (const [k, v] of Object.entries(s)) if (k in table) expect(table[k]).toContain(jsonType(v));
    const wrong = new Set<string>();
    for (const e of generated)
      for (const k of keysOf(e))
        if (!table[k]?.includes(jsonType(e[k]))) wrong.add(`${k}: ${jsonType(e[k])}`);
    expect([...wrong]).toEqual([]);
  });

  it('write every timestamp in the engine format', () => {
    const re = TIMESTAMP_FORMAT[engine];
    const texts = generated
      .flatMap((e) => [e.logTime, e.startTime, e.endTime])
      .filter((v) => v !== null && v !== undefined);
    expect(texts.length).toBeGreaterThanOrEqual(generated.length);
    expect(texts.filter((v) => !re.test(String(v)))).toEqual([]);
  });

  it('occasionally carry a field AWS might add', () => {
    expect(generated.some((e) => Object.keys(e).some((k) => EXTRA_FIELDS.has(k)))).toBe(true);
  });
});

describe('engine specifics', () => {
  it('PostgreSQL session ids are "<hex epoch>.<hex pid>" with the event pid', () => {
    const pg = byEngine('postgresql');
    expect(pg.filter((e) => !/^[0-9a-f]{8}\.[0-9a-f]+$/.test(String(e.sessionId)))).toEqual([]);
    expect(pg.filter((e) => String(e.sessionId).split('.')[1] !== Number(e.pid).toString(16))).toEqual([]);
    expect(byEngine('postgresql').some((e) => Array.isArray(e.paramList) && e.paramList.length > 0)).toBe(
      true,
    );
  });

  it('MySQL statements are MAIN QUERY with backslash-escaped quotes, AUX carry object names', () => {
    const my = byEngine('mysql');
    const main = new Set(['CONNECT', 'DISCONNECT', 'QUERY', 'FAILED_CONNECT', 'CHANGEUSER']);
    const aux = new Set(['READ', 'WRITE', 'CREATE', 'ALTER', 'DROP', 'RENAME']);
    expect(my.filter((e) => !(e.class === 'MAIN' ? main : aux).has(String(e.command)))).toEqual([]);
    expect(my.filter((e) => e.command === 'QUERY' && /(^|[^\\])'/.test(String(e.commandText)))).toEqual([]);
    const badAux = my.filter(
      (e) =>
        e.class === 'AUX' && (e.exitCode !== '' || e.substatementId !== 2 || e.commandText !== e.objectName),
    );
    expect(badAux).toEqual([]);
    expect(my.some((e) => String(e.commandText).includes("\\'"))).toBe(true);
  });

  it('MySQL AUX events share sessionId and statementId with a MAIN QUERY', () => {
    const mains = new Set(
      events
        .filter((e) => e.source.engine === 'mysql' && e.event.command === 'QUERY')
        .map((e) => `${e.instanceId}|${e.event.sessionId}|${e.event.statementId}`),
    );
    const aux = events.filter((e) => e.source.engine === 'mysql' && e.event.class === 'AUX');
    expect(aux.length).toBeGreaterThan(100);
    expect(
      aux.filter((e) => !mains.has(`${e.instanceId}|${e.event.sessionId}|${e.event.statementId}`)),
    ).toEqual([]);
  });

  it('Oracle events have no type, upper-case users, the schema as objectType and empty native fields', () => {
    const bad = byEngine('oracle').filter(
      (e) =>
        'type' in e ||
        e.dbUserName !== String(e.dbUserName).toUpperCase() ||
        JSON.stringify(e.engineNativeAuditFields) !== '{}' ||
        (e.objectName !== null && !/^[A-Z_]+$/.test(String(e.objectType))) ||
        !/^\d+$/.test(String(e.dbid)),
    );
    expect(bad).toEqual([]);
    expect(byEngine('oracle').some((e) => e.command === 'LOGON' && e.exitCode === 1017)).toBe(true);
  });

  it('SQL Server events have hex statement ids, numeric sessions, succeeded exit codes and ALTER on SCHEMA', () => {
    const ss = byEngine('sqlserver');
    const bad = ss.filter(
      (e) =>
        !/^0x[0-9a-f]{32}$/.test(String(e.statementId)) ||
        (e.exitCode !== 0 && e.exitCode !== 1) ||
        e.objectType !== e.class,
    );
    expect(bad).toEqual([]);
    expect(
      ss.some(
        (e) => e.command === 'ALTER' && e.class === 'SCHEMA' && /^CREATE TABLE/i.test(String(e.commandText)),
      ),
    ).toBe(true);
    expect(ss.some((e) => e.command === 'LOGIN FAILED' && e.exitCode === 0)).toBe(true);
  });

  it('SQL Server records have an empty clusterId and Aurora records the cluster resource id', () => {
    const { records } = run({ seed: 11, events: 500, ...WEEK });
    const aurora = (e: Engine) => e === 'postgresql' || e === 'mysql';
    const bad = records.filter(
      (r) =>
        r.payload.clusterId !== (aurora(r.source.engine) ? r.source.resourceId : '') ||
        !r.source.instanceIds.includes(r.payload.instanceId),
    );
    expect(records.length).toBeGreaterThan(10);
    expect(bad).toEqual([]);
  });
});
