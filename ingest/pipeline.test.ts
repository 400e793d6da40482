import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../lib/store/local';
import { loadSamples, newLocalKey, sealedInputs, textInput } from '../test/helpers/das';
import { readActivity } from '../test/helpers/duckdb';
import { DasDecryptor, type DataKeyProvider } from './decrypt';
import { TransientError } from './errors';
import { compileFilters } from './filters';
import type { InputRecord } from './input';
import type { LocalKey } from './local-key';
import { processBatch } from './pipeline';

const resourceOf = (p: Record<string, unknown>) => (p.clusterId ? String(p.clusterId) : String(p.instanceId));
const versionOf = (p: Record<string, unknown>) => {
  const events = p.databaseActivityEventList as Record<string, unknown>[];
  const first = events[0] ?? {};
  if (first.serverType === 'MySQL') return '1.2';
  if (first.dbProtocol === 'oracle' || 'dbid' in first) return '1.3';
  if (first.serverType === 'SQLSERVER') return '1.4';
  return '1.1';
};

let dir: string;
let key: LocalKey;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dasboard-pipeline-'));
  key = newLocalKey();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function deps(provider: DataKeyProvider = key, rules = compileFilters([])) {
  return {
    store: new LocalStore(dir),
    decryptor: new DasDecryptor(provider),
    filter: rules,
    resourceIdOverride: null,
  };
}

async function sealAll(payloads: Record<string, unknown>[]): Promise<InputRecord[]> {
  const out: InputRecord[] = [];
  for (const [i, p] of payloads.entries()) {
    out.push(...(await sealedInputs(key, resourceOf(p), [p], { version: versionOf(p), idPrefix: `s${i}-` })));
  }
  return out;
}

async function listFiles(sub: string): Promise<string[]> {
  try {
    return (await readdir(join(dir, sub), { recursive: true })).filter((f) => f.includes('.'));
  } catch {
    return [];
  }
}

describe('processBatch', () => {
  it('stores every event of the 19 AWS samples once, with its class, and counts the heartbeat', async () => {
    const samples = loadSamples();
    const inputs = await sealAll(samples);

    const result = await processBatch(inputs, deps(), 'all');

    const expected = samples.flatMap((p) =>
      (p.databaseActivityEventList as Record<string, unknown>[]).filter((e) => e.type !== 'heartbeat'),
    );
    expect(result.summary.heartbeats).toBe(1);
    expect(result.summary.events.stored).toBe(expected.length);
    expect(result.summary.records.quarantined).toBe(0);
    const rows = await readActivity(dir);
    expect(rows).toHaveLength(expected.length);
    // Event by event: the raw JSON of every input event is stored exactly once.
    expect(rows.map((r) => r.raw).sort()).toEqual(expected.map((e) => JSON.stringify(e)).sort());
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
  });

  it('classifies the MySQL QUERY CREATE TABLE as DDL and keeps its AUX companion', async () => {
    const samples = loadSamples();
    const inputs = await sealAll([
      samples[7] as Record<string, unknown>,
      samples[8] as Record<string, unknown>,
    ]);

    await processBatch(inputs, deps(), 'all');

    const rows = await readActivity(dir);
    expect(rows.map((r) => [r.class, r.command, r.is_aux])).toEqual(
      expect.arrayContaining([
        ['DDL', 'QUERY', false],
        ['DDL', 'CREATE', true],
      ]),
    );
    expect(typeof rows[0]?.event_time).toBe('string');
  });

  it('writes partitions named by class and UTC day of event_time', async () => {
    const inputs = await sealAll(loadSamples());

    await processBatch(inputs, deps(), 'all');

    const files = await listFiles('activity');
    expect(files.length).toBeGreaterThan(0);
    for (const f of files)
      expect(f).toMatch(/^class=[A-Z_]+\/dt=\d{4}-\d{2}-\d{2}\/[0-9a-f]{32}-\d+\.parquet$/);
    expect(files.some((f) => f.startsWith('class=DDL/dt=2019-05-24/'))).toBe(true);
  });

  it('quarantines broken records with their reason and the record as received, and keeps the rest', async () => {
    const [good] = await sealAll([loadSamples()[2] as Record<string, unknown>]);
    const pg = 'cluster-4HNY5V4RRNPKKYB7ICFKE5JBQQ';
    const tampered = JSON.parse(Buffer.from(good?.received ?? '', 'base64').toString('utf8'));
    const body = Buffer.from(tampered.databaseActivityEvents, 'base64');
    body[body.length - 120] = (body[body.length - 120] ?? 0) ^ 0xff;
    tampered.databaseActivityEvents = body.toString('base64');
    const [otherStream] = await sealedInputs(key, 'cluster-OTHERCLUSTER', [loadSamples()[2]]);
    const wrongContext = {
      ...(otherStream as InputRecord),
      sourceArn: good?.sourceArn ?? null,
      id: 'wrong-ctx',
    };
    const bad: InputRecord[] = [
      textInput('{"not": "das"}', pg, 'not-das'),
      textInput('this is not json', pg, 'not-json'),
      textInput(JSON.stringify(tampered), pg, 'tampered'),
      { ...(good as InputRecord), id: 'bad-b64', received: '@@@not base64@@@' },
      wrongContext,
    ];

    const result = await processBatch([good as InputRecord, ...bad], deps(), 'all');

    expect(result.summary.records).toMatchObject({ received: 6, processed: 1, quarantined: 5 });
    expect(result.summary.quarantine).toEqual({
      'not-das-record': 1,
      'not-json': 1,
      'message-decrypt-failed': 1,
      'bad-envelope': 1,
      'key-decrypt-failed': 1,
    });
    const docs = await listFiles('quarantine');
    expect(docs).toHaveLength(5);
    const received = new Set(bad.map((b) => b.received));
    for (const f of docs) {
      const doc = JSON.parse(await readFile(join(dir, 'quarantine', f), 'utf8'));
      expect(received.has(doc.record)).toBe(true);
      expect(doc.reason).toEqual(expect.any(String));
      expect(doc.source.id).toEqual(expect.any(String));
    }
    expect(await readActivity(dir)).toHaveLength(1);
  });

  it('counts events dropped by each named filter rule', async () => {
    const samples = loadSamples();
    const inputs = await sealAll(samples);
    const rules = compileFilters([
      { name: 'no-rdsadmin', users: ['rdsadmin'] },
      { name: 'no-reads', classes: ['DQL'] },
    ]);

    const result = await processBatch(inputs, deps(key, rules), 'all');

    const stored = await readActivity(dir);
    expect(stored.some((r) => String(r.db_user).toLowerCase() === 'rdsadmin')).toBe(false);
    expect(stored.some((r) => r.class === 'DQL')).toBe(false);
    const filtered = Object.values(result.summary.filtered).reduce((a, b) => a + b, 0);
    expect(result.summary.filtered['no-rdsadmin']).toBeGreaterThan(0);
    expect(result.summary.filtered['no-reads']).toBeGreaterThan(0);
    expect(stored.length + filtered + result.summary.heartbeats).toBe(
      samples.reduce((n, p) => n + (p.databaseActivityEventList as unknown[]).length, 0),
    );
  });

  it('stores a record delivered twice in one batch once', async () => {
    const [one] = await sealAll([loadSamples()[1] as Record<string, unknown>]);

    const result = await processBatch(
      [one as InputRecord, { ...(one as InputRecord), id: 'again' }],
      deps(),
      'all',
    );

    expect(result.summary.records.duplicates).toBe(1);
    expect(await readActivity(dir)).toHaveLength(1);
  });

  it('a retried batch overwrites its own objects: no duplicates', async () => {
    const inputs = await sealAll(loadSamples());

    const first = await processBatch(inputs, deps(), 'all');
    const second = await processBatch(inputs, deps(), 'all');

    expect(second.objects).toEqual(first.objects);
    expect(await readActivity(dir)).toHaveLength(first.summary.events.stored);
  });

  it('all mode: a record that must be retried fails the batch and writes nothing', async () => {
    const inputs = await sealAll(loadSamples().slice(0, 4));
    let calls = 0;
    const flaky: DataKeyProvider = {
      decryptDataKey: async (blob, ctx) => {
        calls += 1;
        if (calls === 1) throw new TransientError('ThrottlingException');
        return key.decryptDataKey(blob, ctx);
      },
    };

    await expect(processBatch(inputs, deps(flaky), 'all')).rejects.toBeInstanceOf(TransientError);

    expect(await listFiles('activity')).toEqual([]);
  });

  it('prefix mode: writes the records before the first retryable one and hands back the rest', async () => {
    const samples = loadSamples();
    const inputs = await sealAll([samples[0], samples[1], samples[2]] as Record<string, unknown>[]);
    const throttled = new Set([inputs[1]?.received]);
    const provider: DataKeyProvider = {
      decryptDataKey: async (blob, ctx) => {
        const b64 = Buffer.from(blob).toString('base64');
        const rec = inputs.find((i) => Buffer.from(i.received, 'base64').toString().includes(b64));
        if (rec && throttled.has(rec.received)) throw new TransientError('ThrottlingException');
        return key.decryptDataKey(blob, ctx);
      },
    };

    const result = await processBatch(inputs, deps(provider), 'prefix');

    expect(result.retryFrom).toBe(1);
    expect(result.summary.records).toMatchObject({ received: 3, processed: 1, retryable: 2 });
    const rows = await readActivity(dir);
    expect(rows.map((r) => r.command)).toEqual(['CONNECT']);
  });
});
