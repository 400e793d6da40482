/**
 * Delivery envelopes for sealed DAS record texts (das-format §1.3): Firehose transformation
 * events, Lambda Kinesis event-source events and NDJSON lines, with deterministic shard ids,
 * partition keys and 56-digit sequence numbers, split to stay under Lambda's 6 MB request limit.
 */
import { hash32, Rng } from './random';
import type { Source } from './types';

/** Account id used in every generated ARN (AWS's documentation placeholder). */
export const DEMO_ACCOUNT = '123456789012';

export interface DeliveryRecord {
  /** The outer record JSON text (what RDS put into the Kinesis record). */
  text: string;
  arrival: Date;
  sequenceNumber: string;
  shardId: string;
  partitionKey: string;
}

/** Limits of one delivery event: records and bytes of base64 record data. */
export interface EventLimits {
  maxRecords: number;
  maxDataBytes: number;
}

/** Firehose hands the transform at most its buffer (≤ 3 MB of record data = 4 MB of base64). */
export const FIREHOSE_LIMITS: EventLimits = { maxRecords: 10_000, maxDataBytes: 4 * 1024 * 1024 };
/** Lambda's Kinesis event source: a batch of ≤ 100 records here, the invoke payload capped at 6 MB. */
export const KINESIS_LIMITS: EventLimits = { maxRecords: 100, maxDataBytes: 5 * 1024 * 1024 };

export const kinesisStreamArn = (source: Source, region: string) =>
  `arn:aws:kinesis:${region}:${DEMO_ACCOUNT}:stream/${source.streamName}`;

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Base64 length of a text's UTF-8 bytes (what a record costs inside an event). */
export function dataBytes(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 3) * 4;
}

/** A Firehose data-transformation event (Kinesis stream as the delivery stream's source). */
export function firehoseEvent(
  records: readonly DeliveryRecord[],
  source: Source,
  region: string,
  invocationId: string,
) {
  return {
    invocationId,
    deliveryStreamArn: `arn:aws:firehose:${region}:${DEMO_ACCOUNT}:deliverystream/dasboard-${source.resourceId}`,
    sourceKinesisStreamArn: kinesisStreamArn(source, region),
    region,
    records: records.map((r) => ({
      recordId: `${r.sequenceNumber}${String(hash32(r.shardId) % 1_000_000).padStart(6, '0')}`,
      approximateArrivalTimestamp: r.arrival.getTime(),
      data: base64(r.text),
      kinesisRecordMetadata: {
        shardId: r.shardId,
        partitionKey: r.partitionKey,
        approximateArrivalTimestamp: r.arrival.getTime(),
        sequenceNumber: r.sequenceNumber,
        subsequenceNumber: 0,
      },
    })),
  };
}

/** A Lambda event from a Kinesis event source mapping. */
export function kinesisEvent(records: readonly DeliveryRecord[], source: Source, region: string) {
  const arn = kinesisStreamArn(source, region);
  return {
    Records: records.map((r) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.partitionKey,
        sequenceNumber: r.sequenceNumber,
        data: base64(r.text),
        approximateArrivalTimestamp: r.arrival.getTime() / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${r.shardId}:${r.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/dasboard-ingest`,
      awsRegion: region,
      eventSourceARN: arn,
    })),
  };
}

/** One NDJSON line (the raw outer record, as `dasboard ingest` reads newline-delimited files). */
export function ndjsonLine(text: string): string {
  if (text.includes('\n')) throw new RangeError('a DAS record text must be a single line');
  return `${text}\n`;
}

/**
 * Stamps sealed records of one source as Kinesis would: shard chosen by partition key (the
 * instance id), sequence numbers of 56 decimal digits that increase within each shard.
 */
export class KinesisSequencer {
  private readonly counters: bigint[];
  private readonly prefix: bigint;

  private readonly shards: number;

  /** Aurora streams get two shards, RDS instance streams one, unless `shards` says otherwise. */
  constructor(source: Source, shards?: number) {
    this.shards = shards ?? (source.clusterId === '' ? 1 : 2);
    this.counters = Array.from({ length: this.shards }, () => 0n);
    // "49", the stream's hash, the shard and a time-ordered counter: 56 digits like real ones.
    this.prefix = 49n * 10n ** 54n + BigInt(hash32(source.streamName)) * 10n ** 40n;
  }

  stamp(text: string, arrival: Date, partitionKey: string): DeliveryRecord {
    const shard = hash32(partitionKey) % this.shards;
    const previous = this.counters[shard] ?? 0n;
    // Time-ordered like Kinesis: the counter follows arrival milliseconds, strictly increasing.
    const byTime = BigInt(arrival.getTime()) * 1000n;
    const next = byTime > previous ? byTime : previous + 1n;
    this.counters[shard] = next;
    const sequenceNumber = (this.prefix + BigInt(shard) * 10n ** 36n + next).toString();
    return {
      text,
      arrival,
      sequenceNumber,
      shardId: `shardId-${String(shard).padStart(12, '0')}`,
      partitionKey,
    };
  }
}

/** Splits delivery records into event-sized batches (order kept; a lone oversized record gets its own). */
export function* batchRecords(
  records: Iterable<DeliveryRecord>,
  limits: EventLimits,
): Generator<DeliveryRecord[]> {
  let batch: DeliveryRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = dataBytes(r.text);
    if (batch.length > 0 && (batch.length >= limits.maxRecords || bytes + size > limits.maxDataBytes)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(r);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

/** Deterministic Firehose invocation id (a UUID) for the n-th event of a source. */
export function invocationIdFor(source: Source, n: number): string {
  return new Rng(hash32(source.resourceId), n).uuid();
}
