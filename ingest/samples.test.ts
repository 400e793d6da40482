import { describe, expect, it } from 'vitest';
import type { ActivityClass, ClassifiedEvent, Engine } from '../lib/audit/schema';
import samples from './__fixtures__/das-samples.json' with { type: 'json' };
import { type NormalisedItem, normalisePayload } from './normalise';
import { parsePayload } from './payload-schema';

const utc = (text: string): bigint => {
  // Independent oracle: Date for the milliseconds (text given with 'Z'), the rest of the digits by hand.
  const [whole = '', frac = ''] = text.split('.');
  return BigInt(Date.parse(`${whole}Z`)) * 1000n + BigInt(frac.slice(0, 6).padEnd(6, '0'));
};

interface Expected {
  engine: Engine;
  command: string;
  class: ActivityClass;
  failed: boolean;
  eventTime: string;
  logTime: string;
  endTime: string | null;
  exitCode: string | null;
  isAux?: boolean;
}

const e = (
  engine: Engine,
  command: string,
  cls: ActivityClass,
  failed: boolean,
  times: [event: string, log: string, end?: string],
  exitCode: string | null,
  isAux = false,
): Expected => ({
  engine,
  command,
  class: cls,
  failed,
  eventTime: times[0],
  logTime: times[1],
  endTime: times[2] ?? null,
  exitCode,
  isAux,
});

// One row per sample of das-samples.json (das-format.md §5); null = the heartbeat.
const EXPECTED: readonly (Expected | null)[] = [
  e(
    'postgresql',
    'CONNECT',
    'CONNECT',
    false,
    ['2019-10-30T00:39:49.940668', '2019-10-30T00:39:49.990579'],
    null,
  ),
  e(
    'postgresql',
    'CREATE TABLE',
    'DDL',
    false,
    ['2019-05-24T00:36:54.403455', '2019-05-24T00:36:54.494235'],
    null,
  ),
  e('postgresql', 'SELECT', 'DQL', false, ['2019-05-24T00:39:49.920564', '2019-05-24T00:39:49.940668'], null),
  e('postgresql', 'INSERT', 'DML', false, ['2019-12-26T06:56:09.090054', '2019-12-26T06:56:09.090054'], null),
  e(
    'postgresql',
    'AUTH FAILURE',
    'AUTH_FAILURE',
    true,
    ['2024-01-01T12:00:00.000100', '2024-01-01T12:00:00.004200'],
    '28P01',
  ),
  e(
    'postgresql',
    'SELECT',
    'DQL',
    true,
    ['2024-01-01T12:00:05.100000', '2024-01-01T12:00:05.100900'],
    '42P01',
  ),
  e(
    'mysql',
    'CONNECT',
    'CONNECT',
    false,
    ['2020-05-22T18:07:13.267207', '2020-05-22T18:07:13.267214', '2020-05-22T18:07:13.267213'],
    '0',
  ),
  e(
    'mysql',
    'QUERY',
    'DDL',
    false,
    ['2020-05-22T18:07:12.226384', '2020-05-22T18:07:12.250221', '2020-05-22T18:07:12.250222'],
    '0',
  ),
  e(
    'mysql',
    'CREATE',
    'DDL',
    false,
    ['2020-05-22T18:07:12.226384', '2020-05-22T18:07:12.247182', '2020-05-22T18:07:12.247182'],
    null,
    true,
  ),
  e(
    'mysql',
    'QUERY',
    'DQL',
    false,
    ['2020-05-22T18:29:57.986364', '2020-05-22T18:29:57.986467', '2020-05-22T18:29:57.986467'],
    '0',
  ),
  e(
    'mysql',
    'READ',
    'DQL',
    false,
    ['2020-05-22T18:29:57.986364', '2020-05-22T18:29:57.986399', '2020-05-22T18:29:57.986399'],
    null,
    true,
  ),
  e(
    'mysql',
    'QUERY',
    'DQL',
    false,
    ['2020-07-06T20:43:51.636257', '2020-07-06T20:43:51.636563', '2020-07-06T20:43:51.636563'],
    '0',
  ),
  e(
    'mysql',
    'FAILED_CONNECT',
    'AUTH_FAILURE',
    true,
    ['2024-01-01T12:00:10.000100', '2024-01-01T12:00:10.000300', '2024-01-01T12:00:10.000290'],
    '1045',
  ),
  null,
  e('oracle', 'LOGON', 'CONNECT', false, ['2021-01-15T00:15:36.233787', '2021-01-15T00:15:36.233787'], '0'),
  e(
    'oracle',
    'CREATE TABLE',
    'DDL',
    false,
    ['2021-01-15T00:22:49.535239', '2021-01-15T00:22:49.535239'],
    '0',
  ),
  e(
    'sqlserver',
    'LOGIN FAILED',
    'AUTH_FAILURE',
    true,
    ['2022-10-06T21:34:42.7113072', '2022-10-06T21:34:42.7113072'],
    '0',
  ),
  e('sqlserver', 'ALTER', 'DDL', false, ['2022-10-06T21:44:38.4120677', '2022-10-06T21:44:38.4120677'], '1'),
  e('sqlserver', 'SELECT', 'DQL', false, ['2022-10-06T21:24:59.9422268', '2022-10-06T21:24:59.9422268'], '1'),
];

const CTX = { resourceId: 'cluster-TEST', dasVersion: '1.3', ingestedAt: 1_700_000_000_000_000n };

function onlyEvent(items: NormalisedItem[]): ClassifiedEvent {
  expect(items).toHaveLength(1);
  const [item] = items;
  if (item?.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(item)}`);
  return item.event;
}

describe('the 19 DAS samples', () => {
  it('covers every sample', () => {
    // Assess
    expect(samples).toHaveLength(19);
    expect(EXPECTED).toHaveLength(samples.length);
  });

  it.each(samples.map((payload, i) => ({ n: i + 1, payload, expected: EXPECTED[i] ?? null })))(
    'sample #$n',
    ({ payload, expected }) => {
      // Act
      const parsed = parsePayload(payload);
      const items = normalisePayload(parsed, CTX);
      // Assess
      if (expected === null) {
        expect(items).toEqual([{ kind: 'heartbeat' }]);
        return;
      }
      const event = onlyEvent(items);
      expect({
        engine: event.engine,
        command: event.command,
        class: event.class,
        failed: event.failed,
        eventTime: event.event_time,
        logTime: event.log_time,
        endTime: event.end_time,
        exitCode: event.exit_code,
        isAux: event.is_aux,
      }).toEqual({
        ...expected,
        eventTime: utc(expected.eventTime),
        logTime: utc(expected.logTime),
        endTime: expected.endTime === null ? null : utc(expected.endTime),
      });
      const original = payload.databaseActivityEventList[0];
      expect(JSON.parse(event.raw)).toEqual(original);
      expect(event.resource_id).toBe(CTX.resourceId);
      expect(event.cluster_id).toBe(payload.clusterId);
      expect(event.instance_id).toBe(payload.instanceId);
      expect(event.das_version).toBe('1.3');
      expect(event.ingested_at).toBe(CTX.ingestedAt);
      expect(event.event_id).toMatch(/^[0-9a-f]{32}$/);
    },
  );

  it('maps the per-engine fields as the storage contract says', () => {
    // Prepare
    const events = samples.map((p) => normalisePayload(parsePayload(p), CTX)[0]);
    const ev = (n: number) => {
      const item = events[n - 1];
      if (item?.kind !== 'event') throw new Error(`sample ${n} is not an event`);
      return item.event;
    };
    // Assess: PostgreSQL
    expect(ev(4).param_list).toBe('["424","62","1788678","-2770"]');
    expect(ev(4).row_count).toBe(1n);
    expect(ev(4).pid).toBe(9091n);
    expect(ev(1).session_id).toBe('5ce5f7f0.474b');
    expect(ev(1).statement_id).toBe('1');
    expect(ev(1).command_text).toBeNull();
    expect(ev(5).error_message).toBe('password authentication failed for user "mallory"');
    // MySQL: '' objects become null, the text stays as received, AUX is flagged
    expect(ev(7).object_name).toBeNull();
    expect(ev(7).object_type).toBe('TABLE');
    expect(ev(7).command_text).toBe('');
    expect(ev(7).error_message).toBeNull();
    expect(ev(12).command_text).toBe("show status like \\'server_aurora_das_%\\'");
    expect(ev(9).das_class).toBe('AUX');
    expect(ev(8).is_aux).toBe(false);
    expect(ev(8).transaction_id).toBe('0');
    expect(ev(8).substatement_id).toBe(1n);
    // Oracle: numbers become text, no type field, native fields kept in raw
    expect(ev(15).session_id).toBe('987654321');
    expect(ev(15).cluster_id).toBe('');
    expect(ev(15).remote_port).toBe('25440');
    expect(ev(15).substatement_id).toBeNull();
    const oracleLogon = samples[14]?.databaseActivityEventList[0] ?? {};
    expect(Object.keys(oracleLogon)).toContain('engineNativeAuditFields');
    expect(Object.keys(oracleLogon)).not.toContain('type');
    expect(JSON.parse(ev(15).raw)).toEqual(oracleLogon);
    expect(ev(16).object_type).toBe('TEST');
    expect(ev(16).object_name).toBe('PERSONS');
    // SQL Server
    expect(ev(19).session_id).toBe('62');
    expect(ev(19).statement_id).toBe('0x03baed90412f564fad640ebe51f89b99');
    expect(ev(19).pid).toBeNull();
    expect(ev(19).das_class).toBe('TABLE');
    expect(ev(17).object_name).toBeNull();
  });
});
