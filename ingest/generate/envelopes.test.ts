import { KinesisDataStreamSchema } from '@aws-lambda-powertools/parser/schemas/kinesis';
import { KinesisFirehoseSchema } from '@aws-lambda-powertools/parser/schemas/kinesis-firehose';
import { describe, expect, it } from 'vitest';
import {
  batchRecords,
  type DeliveryRecord,
  FIREHOSE_LIMITS,
  firehoseEvent,
  invocationIdFor,
  KINESIS_LIMITS,
  KinesisSequencer,
  kinesisEvent,
  ndjsonLine,
} from './envelopes';
import { Rng } from './random';
import { listSources } from './traffic';

const sources = listSources({
  seed: 3,
  events: 1,
  from: new Date('2024-05-01T00:00:00Z'),
  to: new Date('2024-05-02T00:00:00Z'),
});
function need<T>(v: T | undefined): T {
  if (v === undefined) throw new Error('fleet without the expected source');
  return v;
}
const aurora = need(sources[0]);
const rds = need(sources[2]);

/** A stand-in for a sealed outer record of the given size (the envelope does not look inside). */
function outerText(rng: Rng, bytes: number): string {
  const body = rng.base32(16) + 'A'.repeat(bytes);
  return JSON.stringify({
    type: 'DatabaseActivityMonitoringRecords',
    version: '1.1',
    databaseActivityEvents: body,
    key: rng.base32(40),
  });
}

function stamped(count: number, bytes: number): DeliveryRecord[] {
  const rng = new Rng(1);
  const seq = new KinesisSequencer(aurora);
  const start = Date.parse('2024-05-01T10:00:00Z');
  return Array.from({ length: count }, (_, i) =>
    seq.stamp(outerText(rng, bytes), new Date(start + i * 37), need(aurora.instanceIds[i % 2])),
  );
}

describe('firehoseEvent', () => {
  it('has the shape of a Firehose transformation event from a Kinesis source', () => {
    const records = stamped(5, 200);
    const event = firehoseEvent(records, aurora, 'eu-west-1', invocationIdFor(aurora, 1));
    expect(Object.keys(event)).toEqual([
      'invocationId',
      'deliveryStreamArn',
      'sourceKinesisStreamArn',
      'region',
      'records',
    ]);
    expect(event.sourceKinesisStreamArn).toBe(
      `arn:aws:kinesis:eu-west-1:123456789012:stream/aws-rds-das-${aurora.resourceId}`,
    );
    expect(event.invocationId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const first = event.records[0];
    expect(Object.keys(first ?? {})).toEqual([
      'recordId',
      'approximateArrivalTimestamp',
      'data',
      'kinesisRecordMetadata',
    ]);
    expect(Object.keys(first?.kinesisRecordMetadata ?? {})).toEqual([
      'shardId',
      'partitionKey',
      'approximateArrivalTimestamp',
      'sequenceNumber',
      'subsequenceNumber',
    ]);
    const parsed = KinesisFirehoseSchema.parse(event);
    expect(parsed.records.map((r) => r.data)).toEqual(records.map((r) => r.text));
    expect(new Set(event.records.map((r) => r.recordId)).size).toBe(5);
    expect(event.records.every((r) => Number.isInteger(r.approximateArrivalTimestamp))).toBe(true);
  });
});

describe('kinesisEvent', () => {
  it('has the shape of a Lambda Kinesis event-source event', () => {
    const records = stamped(4, 200);
    const event = kinesisEvent(records, rds, 'us-east-1');
    const first = event.Records[0];
    expect(Object.keys(first ?? {})).toEqual([
      'kinesis',
      'eventSource',
      'eventVersion',
      'eventID',
      'eventName',
      'invokeIdentityArn',
      'awsRegion',
      'eventSourceARN',
    ]);
    expect(Object.keys(first?.kinesis ?? {})).toEqual([
      'kinesisSchemaVersion',
      'partitionKey',
      'sequenceNumber',
      'data',
      'approximateArrivalTimestamp',
    ]);
    expect(first?.eventSourceARN).toBe(
      `arn:aws:kinesis:us-east-1:123456789012:stream/aws-rds-das-${rds.resourceId}`,
    );
    expect(first?.eventID).toBe(`${records[0]?.shardId}:${records[0]?.sequenceNumber}`);
    expect(first?.kinesis.approximateArrivalTimestamp).toBeCloseTo(
      (records[0]?.arrival.getTime() ?? 0) / 1000,
      3,
    );
    const parsed = KinesisDataStreamSchema.parse(event);
    expect(parsed.Records.map((r) => r.kinesis.data)).toEqual(records.map((r) => JSON.parse(r.text)));
  });
});

describe('KinesisSequencer', () => {
  it('issues 56-digit sequence numbers that increase within each shard', () => {
    const records = stamped(300, 10);
    const byShard = new Map<string, bigint[]>();
    for (const r of records) {
      expect(r.sequenceNumber).toMatch(/^49\d{54}$/);
      expect(r.shardId).toMatch(/^shardId-\d{12}$/);
      byShard.set(r.shardId, [...(byShard.get(r.shardId) ?? []), BigInt(r.sequenceNumber)]);
    }
    for (const seqs of byShard.values())
      for (let i = 1; i < seqs.length; i += 1) expect((seqs[i] ?? 0n) > (seqs[i - 1] ?? 0n)).toBe(true);
    expect(new Set(records.map((r) => r.sequenceNumber)).size).toBe(300);
  });

  it('keeps one instance on one shard (partition key = instance id)', () => {
    const shards = new Map<string, Set<string>>();
    for (const r of stamped(50, 10))
      shards.set(r.partitionKey, (shards.get(r.partitionKey) ?? new Set()).add(r.shardId));
    expect([...shards.values()].every((s) => s.size === 1)).toBe(true);
  });
});

describe('batchRecords', () => {
  const LAMBDA_REQUEST_LIMIT = 6 * 1024 * 1024;

  it('keeps Firehose events under the 6 MB request limit', () => {
    const records = stamped(60, 90_000);
    const batches = [...batchRecords(records, FIREHOSE_LIMITS)];
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flat()).toEqual(records);
    for (const [i, b] of batches.entries())
      expect(
        Buffer.byteLength(JSON.stringify(firehoseEvent(b, aurora, 'eu-west-1', `inv-${i}`))),
      ).toBeLessThan(LAMBDA_REQUEST_LIMIT);
  });

  it('caps Kinesis events at 100 records and under 6 MB', () => {
    const small = [...batchRecords(stamped(250, 100), KINESIS_LIMITS)];
    expect(small.map((b) => b.length)).toEqual([100, 100, 50]);
    const big = [...batchRecords(stamped(40, 200_000), KINESIS_LIMITS)];
    expect(big.length).toBeGreaterThan(1);
    for (const b of big)
      expect(Buffer.byteLength(JSON.stringify(kinesisEvent(b, rds, 'eu-west-1')))).toBeLessThan(
        LAMBDA_REQUEST_LIMIT,
      );
  });
});

describe('ndjsonLine', () => {
  it('writes one record per line and refuses multi-line text', () => {
    expect(ndjsonLine('{"a":1}')).toBe('{"a":1}\n');
    expect(() => ndjsonLine('{\n}')).toThrow(RangeError);
  });
});
