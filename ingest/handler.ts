import { BatchProcessor, EventType } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse } from 'aws-lambda';
import {
  firehoseEventSchema,
  firehoseInputs,
  firehoseResponse,
  kinesisEventSchema,
  kinesisInput,
} from './envelopes';
import { commitBatch, processBatch, recordDepsOf } from './pipeline';
import { logger, METRIC, metrics, recordSummaryMetrics } from './powertools';
import { processRecord, type RecordOutcome } from './process-record';
import { createRuntime, type IngestRuntime } from './runtime';
import type { IngestSummary } from './summary';

// Entry points only: parse the event, run the shared core, map the result (style rule 11).
let runtime: Promise<IngestRuntime> | undefined;
const getRuntime = () => {
  runtime ??= createRuntime();
  return runtime;
};

function report(summary: IngestSummary, kmsCalls: number, source: string): void {
  summary.kmsCalls = kmsCalls;
  recordSummaryMetrics(summary);
  logger.info('batch ingested', {
    source,
    records: summary.records,
    events: summary.events,
    heartbeats: summary.heartbeats,
    filtered: summary.filtered,
    quarantine: summary.quarantine,
    kmsCalls,
    objects: summary.objects,
  });
}

/** Kinesis Data Firehose transformation: every recordId comes back; transient failures fail the invocation. */
export async function firehoseHandler(event: unknown) {
  const rt = await getRuntime();
  const parsed = firehoseEventSchema.parse(event);
  const kmsBefore = rt.deps.decryptor.stats.kmsCalls;
  try {
    const result = await processBatch(firehoseInputs(parsed), rt.deps, 'all');
    report(result.summary, rt.deps.decryptor.stats.kmsCalls - kmsBefore, 'firehose');
    const response = firehoseResponse(parsed, rt.env.FIREHOSE_RECORD_RESULT);
    if (response.droppedForSize > 0) {
      logger.warn('raw archive skipped for records past the 6 MB response limit', {
        records: response.droppedForSize,
      });
      metrics.addMetric(METRIC.rawArchiveSkipped, MetricUnit.Count, response.droppedForSize);
    }
    return { records: response.records };
  } finally {
    metrics.publishStoredMetrics();
  }
}

const kinesisProcessor = new BatchProcessor(EventType.KinesisDataStreams);

/**
 * Kinesis event source mapping: per-record staging through Powertools' BatchProcessor, then one
 * write of everything before the first record that must be retried; the response's
 * batchItemFailures make Lambda resume from that record.
 */
export async function kinesisHandler(event: unknown): Promise<KinesisStreamBatchResponse> {
  const rt = await getRuntime();
  const parsed = kinesisEventSchema.parse(event);
  const inputs = parsed.Records.map(kinesisInput);
  const outcomes = new Map<string, RecordOutcome>();
  const recordDeps = recordDepsOf(rt.deps);
  const kmsBefore = rt.deps.decryptor.stats.kmsCalls;
  try {
    kinesisProcessor.register(
      parsed.Records,
      async (record: (typeof parsed.Records)[number]) => {
        const outcome = await processRecord(kinesisInput(record), recordDeps);
        outcomes.set(record.kinesis.sequenceNumber, outcome);
        if (outcome.status === 'retry') throw outcome.error;
      },
      { throwOnFullBatchFailure: false },
    );
    await kinesisProcessor.process();
    const ordered = inputs.map(
      (i): RecordOutcome =>
        outcomes.get(i.id) ?? { status: 'retry', error: new Error('record was not processed') },
    );
    const result = await commitBatch(inputs, ordered, rt.deps, 'prefix');
    report(result.summary, rt.deps.decryptor.stats.kmsCalls - kmsBefore, 'kinesis');
    if (result.retryFrom === null) return { batchItemFailures: [] };
    // Lambda resumes from the lowest failed sequence number; everything after it is redelivered.
    return { batchItemFailures: inputs.slice(result.retryFrom).map((i) => ({ itemIdentifier: i.id })) };
  } finally {
    metrics.publishStoredMetrics();
  }
}
