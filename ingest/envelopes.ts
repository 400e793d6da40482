import {
  KinesisDataStreamRecord,
  KinesisDataStreamRecordPayload,
} from '@aws-lambda-powertools/parser/schemas/kinesis';
import {
  KinesisFirehoseRecordSchema,
  KinesisFirehoseSchema,
} from '@aws-lambda-powertools/parser/schemas/kinesis-firehose';
import { z } from 'zod';
import type { InputRecord } from './input';

/*
 * Delivery envelopes, parsed with Powertools' schemas. `data` is kept as the received base64 text
 * (Powertools would decode it for us) so that a broken record can be quarantined as received and
 * echoed back to Firehose untouched.
 */
export const firehoseEventSchema = KinesisFirehoseSchema.extend({
  records: z.array(KinesisFirehoseRecordSchema.extend({ data: z.string() })),
});
export type FirehoseEvent = z.infer<typeof firehoseEventSchema>;

export const kinesisEventSchema = z.object({
  Records: z.array(
    KinesisDataStreamRecord.extend({ kinesis: KinesisDataStreamRecordPayload.extend({ data: z.string() }) }),
  ),
});
export type KinesisEvent = z.infer<typeof kinesisEventSchema>;
export type KinesisEventRecord = KinesisEvent['Records'][number];

export function firehoseInputs(event: FirehoseEvent): InputRecord[] {
  return event.records.map((r) => ({
    id: r.recordId,
    received: r.data,
    encoding: 'base64',
    sourceArn: event.sourceKinesisStreamArn ?? null,
    arrivalMs: r.approximateArrivalTimestamp,
    meta: {
      recordId: r.recordId,
      shardId: r.kinesisRecordMetadata?.shardId ?? null,
      sequenceNumber: r.kinesisRecordMetadata?.sequenceNumber ?? null,
      partitionKey: r.kinesisRecordMetadata?.partitionKey ?? null,
    },
  }));
}

export function kinesisInput(r: KinesisEventRecord): InputRecord {
  return {
    id: r.kinesis.sequenceNumber,
    received: r.kinesis.data,
    encoding: 'base64',
    sourceArn: r.eventSourceARN,
    // Kinesis gives seconds with a fraction.
    arrivalMs: Math.round(r.kinesis.approximateArrivalTimestamp * 1000),
    meta: {
      eventID: r.eventID,
      sequenceNumber: r.kinesis.sequenceNumber,
      partitionKey: r.kinesis.partitionKey,
    },
  };
}

/** Firehose's 6 MB response cap, with room for the JSON framing. */
export const FIREHOSE_RESPONSE_LIMIT = 6 * 1024 * 1024 - 64 * 1024;

export interface FirehoseResponseRecord {
  recordId: string;
  result: 'Ok' | 'Dropped' | 'ProcessingFailed';
  data: string;
}

/**
 * Firehose response: every recordId comes back. `Ok` returns the original (still encrypted) record
 * plus a newline, so Firehose's own S3 copy is a replayable raw archive; `Dropped` archives nothing.
 * Records that would push the response past 6 MB are `Dropped` (their events are stored already).
 */
export function firehoseResponse(
  event: FirehoseEvent,
  result: 'Ok' | 'Dropped',
): { records: FirehoseResponseRecord[]; droppedForSize: number } {
  let size = 0;
  let droppedForSize = 0;
  const records = event.records.map((r): FirehoseResponseRecord => {
    if (result === 'Dropped') return { recordId: r.recordId, result: 'Dropped', data: '' };
    const data = Buffer.concat([Buffer.from(r.data, 'base64'), Buffer.from('\n')]).toString('base64');
    const cost = data.length + r.recordId.length + 48;
    if (size + cost > FIREHOSE_RESPONSE_LIMIT) {
      droppedForSize += 1;
      return { recordId: r.recordId, result: 'Dropped', data: '' };
    }
    size += cost;
    return { recordId: r.recordId, result: 'Ok', data };
  });
  return { records, droppedForSize };
}
