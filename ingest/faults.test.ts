import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalStore } from '../lib/store/local';
import { S3Store } from '../lib/store/s3';
import type { ObjectStore } from '../lib/store/types';
import { loadSamples, newLocalKey, sealedInputs, streamArn } from '../test/helpers/das';
import { readActivity } from '../test/helpers/duckdb';
import { type KmsTestServer, startKmsServer } from '../test/servers/kms-server';
import { S3_TEST_CREDENTIALS, type S3TestServer, startS3Server } from '../test/servers/s3-server';
import { DasDecryptor } from './decrypt';
import { TransientError } from './errors';
import { compileFilters } from './filters';
import type { InputRecord } from './input';
import type { LocalKey } from './local-key';
import { processBatch } from './pipeline';

/*
 * Fault injection over the real protocols: the handlers use the real @aws-sdk/client-kms and
 * client-s3, pointed at the local KMS-protocol server and the S3-compatible server.
 */
const PG = 'cluster-4HNY5V4RRNPKKYB7ICFKE5JBQQ';
const PREFIX = 'audit';

let key: LocalKey;
let kms: KmsTestServer;
let s3: S3TestServer;
let scratch: string;

beforeAll(async () => {
  key = newLocalKey();
  kms = await startKmsServer(key);
  s3 = await startS3Server({ bucket: 'das-bucket' });
});
afterAll(async () => {
  await kms?.close();
  await s3?.close();
});
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dasboard-faults-'));
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', S3_TEST_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', S3_TEST_CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_ENDPOINT_URL_KMS', kms.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_S3', s3.endpoint);
  vi.stubEnv('DASBOARD_STORE', `s3://das-bucket/${PREFIX}/${Math.random().toString(36).slice(2)}`);
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'dasboard');
  vi.stubEnv('POWERTOOLS_DEV', 'true');
  vi.resetModules();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(scratch, { recursive: true, force: true });
});

/** PG samples only: one stream, several records (each its own data key), heartbeat-free. */
async function pgRecords(): Promise<InputRecord[]> {
  const pg = loadSamples().filter((p) => p.clusterId === PG);
  return sealedInputs(key, PG, pg, { keyEvery: 1 });
}

const pgEventCount = () =>
  loadSamples()
    .filter((p) => p.clusterId === PG)
    .reduce((n, p) => n + (p.databaseActivityEventList as unknown[]).length, 0);

function firehoseEvent(records: InputRecord[]) {
  return {
    invocationId: 'inv-1',
    deliveryStreamArn: 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/das',
    sourceKinesisStreamArn: streamArn(PG),
    region: 'eu-west-1',
    records: records.map((r, i) => ({
      recordId: `rec-${i}`,
      approximateArrivalTimestamp: 1764072000000 + i,
      data: r.received,
      kinesisRecordMetadata: {
        shardId: 'shardId-000000000000',
        partitionKey: 'p',
        approximateArrivalTimestamp: 1764072000000 + i,
        sequenceNumber: String(49600000000000000000000000000000000000000000000000000000n + BigInt(i)),
        subsequenceNumber: 0,
      },
    })),
  };
}

function kinesisEvent(records: InputRecord[]) {
  return {
    Records: records.map((r, i) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'p',
        sequenceNumber: String(49600000000000000000000000000000000000000000000000000000n + BigInt(i)),
        data: r.received,
        approximateArrivalTimestamp: 1764072000 + i / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${i}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/ingest',
      awsRegion: 'eu-west-1',
      eventSourceARN: streamArn(PG),
    })),
  };
}

function currentStore(): S3Store {
  const [, , bucket, ...rest] = (process.env.DASBOARD_STORE ?? '').split('/');
  return new S3Store(bucket ?? '', rest.join('/'), s3.client());
}

/** Copies the S3 store to a folder and reads every activity row with DuckDB. */
async function storedRows(store: ObjectStore = currentStore()): Promise<Record<string, unknown>[]> {
  const local = new LocalStore(scratch);
  for await (const o of store.list('activity/')) {
    const body = await store.get(o.key);
    if (body) await local.put(o.key, body);
  }
  return readActivity(scratch);
}

async function keys(prefix: string, store: ObjectStore = currentStore()): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list(prefix)) out.push(o.key);
  return out;
}

describe('firehoseHandler over KMS and S3 protocol servers', () => {
  it('returns every recordId Ok with the original record plus a newline, and stores each event once', async () => {
    const records = await pgRecords();
    const bad = { ...(records[0] as InputRecord), received: Buffer.from('{"type":"x"}').toString('base64') };
    const event = firehoseEvent([...records, bad]);
    const { firehoseHandler } = await import('./handler');

    const response = await firehoseHandler(event);

    expect(response.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    for (const [i, r] of response.records.entries()) {
      expect(r.result).toBe('Ok');
      const original = Buffer.from(event.records[i]?.data ?? '', 'base64');
      expect(Buffer.from(r.data, 'base64')).toEqual(Buffer.concat([original, Buffer.from('\n')]));
    }
    expect(await storedRows()).toHaveLength(pgEventCount());
    expect(await keys('quarantine/')).toHaveLength(1);
    // One KMS call per distinct data key, none for the quarantined non-DAS record.
    expect(kms.requests.filter((r) => r.target === 'TrentService.Decrypt').length).toBeGreaterThanOrEqual(
      records.length,
    );
  });

  it('a retried invocation overwrites its own objects: stored exactly once', async () => {
    const event = firehoseEvent(await pgRecords());
    const { firehoseHandler } = await import('./handler');

    await firehoseHandler(event);
    const first = await keys('activity/');
    await firehoseHandler(event);

    expect(await keys('activity/')).toEqual(first);
    expect(await storedRows()).toHaveLength(pgEventCount());
  });

  it('S3 SlowDown answers are absorbed by the SDK retries', async () => {
    const event = firehoseEvent(await pgRecords());
    const { firehoseHandler } = await import('./handler');
    s3.failNext(2, 503);

    await firehoseHandler(event);

    expect(await storedRows()).toHaveLength(pgEventCount());
  });

  it('persistent S3 500s fail the invocation; the redelivery stores every event exactly once', async () => {
    const event = firehoseEvent(await pgRecords());
    const { firehoseHandler } = await import('./handler');
    s3.failNext(100, 500);

    await expect(firehoseHandler(event)).rejects.toBeInstanceOf(Error);
    s3.failNext(0);
    await firehoseHandler(event);

    expect(await storedRows()).toHaveLength(pgEventCount());
  });

  it('KMS throttling beyond the SDK retries fails the invocation and quarantines nothing', async () => {
    const event = firehoseEvent(await pgRecords());
    const { firehoseHandler } = await import('./handler');
    kms.throttleNext(1000);

    await expect(firehoseHandler(event)).rejects.toThrow(/retried/);
    kms.throttleNext(0);
    expect(await keys('quarantine/')).toEqual([]);
    await firehoseHandler(event);

    expect(await storedRows()).toHaveLength(pgEventCount());
  });
});

describe('kinesisHandler over KMS and S3 protocol servers', () => {
  it('reports the records from the first throttled one as batch item failures, then stores the rest once', async () => {
    const records = await pgRecords();
    const event = kinesisEvent(records);
    const { kinesisHandler } = await import('./handler');
    kms.throttleNext(1000);

    const failed = await kinesisHandler(event);
    kms.throttleNext(0);

    const ids = failed.batchItemFailures.map((f) => f.itemIdentifier);
    const first = event.Records.findIndex((r) => r.kinesis.sequenceNumber === ids[0]);
    expect(ids).toEqual(event.Records.slice(first).map((r) => r.kinesis.sequenceNumber));
    // Lambda redelivers from the lowest failed sequence number.
    const again = await kinesisHandler({ Records: event.Records.slice(first) });
    expect(again.batchItemFailures).toEqual([]);
    expect(await storedRows()).toHaveLength(pgEventCount());
  });
});

describe('a crash between two object writes', () => {
  it('the redelivered batch completes the write without duplicating the first object', async () => {
    const samples = loadSamples();
    // Several classes → several objects in one batch.
    const inputs = await sealedInputs(
      key,
      PG,
      samples.filter((p) => p.clusterId === PG),
      { keyEvery: 1 },
    );
    const real = currentStore();
    let puts = 0;
    let firstPut: Promise<void> = Promise.resolve();
    const crashing: ObjectStore = {
      root: real.root,
      list: (p) => real.list(p),
      get: (k) => real.get(k),
      put: async (k, body, type) => {
        puts += 1;
        if (puts === 1) {
          firstPut = real.put(k, body, type);
          return firstPut;
        }
        // Dies after the first object landed and before the second one.
        await firstPut;
        throw new TransientError('process died');
      },
    };
    const deps = (store: ObjectStore) => ({
      store,
      decryptor: new DasDecryptor(key),
      filter: compileFilters([]),
      resourceIdOverride: null,
    });

    await expect(processBatch(inputs, deps(crashing), 'all')).rejects.toThrow('process died');
    expect((await keys('activity/')).length).toBe(1);
    const retried = await processBatch(inputs, deps(real), 'all');

    expect(retried.summary.objects.activity).toBeGreaterThan(1);
    expect(await keys('activity/')).toHaveLength(retried.summary.objects.activity);
    const rows = await storedRows();
    expect(rows).toHaveLength(pgEventCount());
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
  });
});
