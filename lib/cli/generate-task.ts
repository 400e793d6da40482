import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encryptionContextFor } from '../../ingest/decrypt';
import {
  type DeliveryRecord,
  dataBytes,
  type EventLimits,
  FIREHOSE_LIMITS,
  firehoseEvent,
  invocationIdFor,
  KINESIS_LIMITS,
  KinesisSequencer,
  kinesisEvent,
} from '../../ingest/generate/envelopes';
import { type SealingKey, sealRecord } from '../../ingest/generate/seal';
import { generateTraffic, listSources, type TrafficOptions } from '../../ingest/generate/traffic';
import type { Source } from '../../ingest/generate/types';
import { loadLocalKeyFile } from '../../ingest/local-key';

export type OutputFormat = 'firehose' | 'kinesis' | 'ndjson';

export interface GenerateTaskInput {
  traffic: Omit<TrafficOptions, 'from' | 'to'> & { from: string; to: string };
  /** Sources (by index in listSources) this worker seals and writes. */
  sourceIndexes: number[];
  outDir: string;
  format: OutputFormat;
  keyFile: string;
  region: string;
}

export interface GenerateTaskResult {
  records: number;
  events: number;
  heartbeats: number;
  dataKeys: number;
  files: string[];
}

// NDJSON files are split so that `ingest --workers` can share the work evenly.
const NDJSON_FILE_RECORDS = 1000;

interface Pending {
  records: DeliveryRecord[];
  bytes: number;
}

class SourceWriter {
  // Kinesis events hold one shard's records (the event source batches per shard); Firehose mixes them.
  private readonly pending = new Map<string, Pending>();
  private readonly sequencer: KinesisSequencer;
  private readonly limits: EventLimits;
  private fileNo = 0;
  private ndjson: WriteStream | null = null;
  private ndjsonRecords = 0;
  readonly files: string[] = [];

  constructor(
    private readonly source: Source,
    private readonly input: GenerateTaskInput,
  ) {
    this.sequencer = new KinesisSequencer(source);
    this.limits = input.format === 'kinesis' ? KINESIS_LIMITS : FIREHOSE_LIMITS;
  }

  async add(text: string, arrival: Date, instanceId: string): Promise<void> {
    if (this.input.format === 'ndjson') {
      if (this.ndjson && this.ndjsonRecords >= NDJSON_FILE_RECORDS) await this.flush();
      this.ndjsonRecords += 1;
      if (!this.ndjson) {
        this.fileNo += 1;
        const part = String(this.fileNo).padStart(4, '0');
        const path = join(this.input.outDir, `${this.source.streamName}.part-${part}.ndjson`);
        this.files.push(path);
        this.ndjson = createWriteStream(path);
      }
      if (!this.ndjson.write(`${text}\n`))
        await new Promise<void>((r) => this.ndjson?.once('drain', () => r()));
      return;
    }
    const record = this.sequencer.stamp(text, arrival, instanceId);
    const key = this.input.format === 'kinesis' ? record.shardId : '';
    const size = dataBytes(text);
    let batch = this.pending.get(key);
    if (
      batch &&
      (batch.records.length >= this.limits.maxRecords || batch.bytes + size > this.limits.maxDataBytes)
    ) {
      await this.writeEvent(batch.records);
      batch = undefined;
    }
    if (!batch) {
      batch = { records: [], bytes: 0 };
      this.pending.set(key, batch);
    }
    batch.records.push(record);
    batch.bytes += size;
  }

  async flush(): Promise<void> {
    if (this.ndjson) {
      const stream = this.ndjson;
      await new Promise<void>((resolve, reject) =>
        stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
      this.ndjson = null;
      this.ndjsonRecords = 0;
    }
    for (const batch of this.pending.values()) await this.writeEvent(batch.records);
    this.pending.clear();
  }

  private async writeEvent(records: readonly DeliveryRecord[]): Promise<void> {
    this.fileNo += 1;
    const name = `${this.input.format}-${this.source.resourceId}-${String(this.fileNo).padStart(5, '0')}.json`;
    const event =
      this.input.format === 'kinesis'
        ? kinesisEvent(records, this.source, this.input.region)
        : firehoseEvent(records, this.source, this.input.region, invocationIdFor(this.source, this.fileNo));
    const path = join(this.input.outDir, name);
    await writeFile(path, JSON.stringify(event));
    this.files.push(path);
  }
}

/** Worker task of `dasboard generate`: simulate all traffic, seal and write this worker's sources. */
export async function generateTask(
  input: GenerateTaskInput,
  progress: (p: { records: number; events: number }) => void,
): Promise<GenerateTaskResult> {
  await mkdir(input.outDir, { recursive: true });
  const options: TrafficOptions = {
    ...input.traffic,
    from: new Date(input.traffic.from),
    to: new Date(input.traffic.to),
  };
  const key = await loadLocalKeyFile(input.keyFile);
  const sources = listSources(options);
  const mine = new Set(input.sourceIndexes.map((i) => sources[i]?.resourceId));
  const writers = new Map<string, SourceWriter>();
  // Data keys by (source, epoch): instances of a cluster rotate their keys independently.
  const dataKeys = new Map<string, SealingKey>();
  const result: GenerateTaskResult = { records: 0, events: 0, heartbeats: 0, dataKeys: 0, files: [] };
  for (const record of generateTraffic(options)) {
    const { source } = record;
    if (!mine.has(source.resourceId)) continue;
    const keyId = `${source.resourceId}/${record.keyEpoch}`;
    let dataKey = dataKeys.get(keyId);
    if (!dataKey) {
      // Like RDS: a fresh data key from the key service, bound to the stream's encryption context.
      dataKey = key.generateDataKey(encryptionContextFor(source.resourceId));
      dataKeys.set(keyId, dataKey);
      result.dataKeys += 1;
      // Epochs only move forward: old keys are never needed again.
      if (dataKeys.size > 256) dataKeys.delete(dataKeys.keys().next().value as string);
    }
    const text = await sealRecord(record.payload, dataKey, source.version);
    let writer = writers.get(source.resourceId);
    if (!writer) {
      writer = new SourceWriter(source, input);
      writers.set(source.resourceId, writer);
    }
    const instanceId = 'instanceId' in record.payload ? String(record.payload.instanceId) : source.resourceId;
    await writer.add(text, record.arrival, instanceId);
    result.records += 1;
    result.events += record.eventCount;
    result.heartbeats += record.heartbeats;
    if (result.records % 200 === 0) progress({ records: result.records, events: result.events });
  }
  for (const writer of writers.values()) {
    await writer.flush();
    result.files.push(...writer.files);
  }
  return result;
}
