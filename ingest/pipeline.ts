import type { ClassifiedEvent } from '../lib/audit/schema';
import type { ObjectStore } from '../lib/store/types';
import type { DasDecryptor } from './decrypt';
import { TransientError } from './errors';
import type { FilterFn } from './filters';
import { type InputRecord, recordDigest } from './input';
import { mapPool } from './pool';
import { processRecord, quarantineDay, type RecordDeps, type RecordOutcome } from './process-record';
import { emptySummary, type IngestSummary } from './summary';
import { batchKey, type PendingQuarantine, writeBatch } from './writer';

export interface PipelineDeps {
  readonly store: ObjectStore;
  readonly decryptor: DasDecryptor;
  readonly filter: FilterFn;
  readonly resourceIdOverride: string | null;
  /** Records decrypted at once: decryption is mostly CPU, KMS look-ups are async. */
  readonly concurrency?: number;
  readonly now?: () => number;
}

/**
 * How a batch reacts to a record that must be retried (KMS throttling, …):
 * - `all`: nothing is written and the batch rejects (Firehose, CLI: the whole batch is redelivered);
 * - `prefix`: records before the first retryable one are written; the rest is handed back for a
 *   retry from that record on (Kinesis checkpoints at the lowest failed sequence number).
 */
export type RetryMode = 'all' | 'prefix';

export interface BatchResult {
  summary: IngestSummary;
  /** Index of the first record that must be redelivered (prefix mode), or null when all committed. */
  retryFrom: number | null;
  outcomes: readonly RecordOutcome[];
  objects: string[];
}

/** Processes one delivery batch and writes it to the store; see RetryMode. */
export async function processBatch(
  records: readonly InputRecord[],
  deps: PipelineDeps,
  mode: RetryMode,
): Promise<BatchResult> {
  const recordDeps = recordDepsOf(deps);
  const outcomes = await mapPool(records, deps.concurrency ?? 8, (r) => processRecord(r, recordDeps));
  return commitBatch(records, outcomes, deps, mode);
}

export function recordDepsOf(deps: PipelineDeps): RecordDeps {
  return {
    decryptor: deps.decryptor,
    filter: deps.filter,
    resourceIdOverride: deps.resourceIdOverride,
    ingestedAt: BigInt((deps.now ?? Date.now)()) * 1000n,
  };
}

/**
 * Writes what the staged outcomes of a batch hold, honouring the retry mode. Identical records
 * (the same bytes delivered twice in one batch, e.g. a producer retry) are stored once.
 */
export async function commitBatch(
  records: readonly InputRecord[],
  outcomes: readonly RecordOutcome[],
  deps: PipelineDeps,
  mode: RetryMode,
): Promise<BatchResult> {
  const now = deps.now ?? Date.now;
  const firstRetry = outcomes.findIndex((o) => o.status === 'retry');
  if (firstRetry >= 0 && mode === 'all') {
    const failed = outcomes[firstRetry];
    throw new TransientError(`record ${records[firstRetry]?.id} must be retried`, {
      cause: failed?.status === 'retry' ? failed.error : undefined,
    });
  }
  const commitCount = firstRetry >= 0 ? firstRetry : records.length;
  const digests = records.slice(0, commitCount).map(recordDigest);
  const seen = new Set<string>();
  const summary = emptySummary();
  const events: ClassifiedEvent[] = [];
  const quarantine: PendingQuarantine[] = [];
  summary.records.received = records.length;
  summary.records.retryable = records.length - commitCount;
  for (let i = 0; i < commitCount; i++) {
    const out = outcomes[i] as RecordOutcome;
    const digest = digests[i] as string;
    if (seen.has(digest)) {
      summary.records.duplicates += 1;
      continue;
    }
    seen.add(digest);
    if (out.status === 'retry') continue;
    const doc = out.status === 'quarantined' ? out.doc : out.quarantine;
    if (doc) {
      quarantine.push({ day: quarantineDay(records[i] as InputRecord, now()), digest, doc });
      summary.quarantine[doc.reason] = (summary.quarantine[doc.reason] ?? 0) + 1;
    }
    if (out.status === 'quarantined') {
      summary.records.quarantined += 1;
      continue;
    }
    summary.records.processed += 1;
    summary.heartbeats += out.heartbeats;
    summary.events.invalid += out.invalidEvents;
    for (const [rule, n] of Object.entries(out.filtered))
      summary.filtered[rule] = (summary.filtered[rule] ?? 0) + n;
    for (const e of out.events) {
      events.push(e);
      summary.events.byClass[e.class] += 1;
    }
  }
  summary.events.stored = events.length;
  const written = await writeBatch(deps.store, batchKey(digests), events, quarantine);
  summary.objects = {
    activity: written.activityObjects.length,
    quarantine: written.quarantineObjects.length,
    bytes: written.bytes,
  };
  return {
    summary,
    retryFrom: firstRetry >= 0 ? firstRetry : null,
    outcomes,
    objects: [...written.activityObjects, ...written.quarantineObjects],
  };
}
