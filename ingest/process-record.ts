import { type ClassifiedEvent, dtOf } from '../lib/audit/schema';
import type { DasDecryptor } from './decrypt';
import { resourceIdFromStreamArn } from './decrypt';
import { isTransient, PermanentRecordError, type QuarantineReason } from './errors';
import type { FilterFn } from './filters';
import { type InputRecord, recordBytes } from './input';
import { normalisePayload } from './normalise';
import { parsePayload } from './payload-schema';

export interface RecordDeps {
  readonly decryptor: DasDecryptor;
  readonly filter: FilterFn;
  /** DAS_RESOURCE_ID: overrides the resource id derived from the stream name. */
  readonly resourceIdOverride: string | null;
  readonly ingestedAt: bigint;
}

/** The quarantine document of architecture.md: `{ reason, error, source, record }`. */
export interface QuarantineDoc {
  reason: QuarantineReason;
  error: string;
  source: Record<string, unknown>;
  record: string;
}

export type RecordOutcome =
  | {
      status: 'ok';
      events: ClassifiedEvent[];
      heartbeats: number;
      filtered: Record<string, number>;
      /** Some events of an otherwise good record could not be read: the record is quarantined too. */
      quarantine: QuarantineDoc | null;
      invalidEvents: number;
    }
  | { status: 'quarantined'; doc: QuarantineDoc }
  | { status: 'retry'; error: Error };

function sourceOf(record: InputRecord, resourceId: string | null): Record<string, unknown> {
  return {
    id: record.id,
    sourceArn: record.sourceArn,
    resourceId,
    arrivalMs: record.arrivalMs,
    ...record.meta,
  };
}

function quarantined(
  record: InputRecord,
  resourceId: string | null,
  err: PermanentRecordError,
): RecordOutcome {
  return {
    status: 'quarantined',
    doc: {
      reason: err.reason,
      error: err.message,
      source: sourceOf(record, resourceId),
      record: record.received,
    },
  };
}

/** One record: transport decode → decrypt → gunzip → parse → drop heartbeats → normalise → classify → filter. */
export async function processRecord(record: InputRecord, deps: RecordDeps): Promise<RecordOutcome> {
  const resourceId =
    deps.resourceIdOverride ?? (record.sourceArn ? resourceIdFromStreamArn(record.sourceArn) : null);
  try {
    if (!resourceId) {
      throw new PermanentRecordError(
        'unknown-resource-id',
        'no resource id: the source is not an aws-rds-das-<id> stream and DAS_RESOURCE_ID is not set',
      );
    }
    const bytes = recordBytes(record);
    if (!bytes) throw new PermanentRecordError('bad-envelope', 'the transport data is not valid base64');
    const opened = await deps.decryptor.openRecord(bytes.toString('utf8'), resourceId);
    const payload = parsePayload(opened.payload);
    const items = normalisePayload(payload, {
      resourceId,
      dasVersion: opened.version,
      ingestedAt: deps.ingestedAt,
    });
    return stage(record, resourceId, items, deps.filter);
  } catch (err) {
    if (err instanceof PermanentRecordError) return quarantined(record, resourceId, err);
    if (isTransient(err)) return { status: 'retry', error: err };
    // Anything unexpected is treated as transient: retrying costs little, quarantining a good record
    // because of our own bug would hide it from every dashboard.
    return { status: 'retry', error: err instanceof Error ? err : new Error(String(err)) };
  }
}

function stage(
  record: InputRecord,
  resourceId: string,
  items: ReturnType<typeof normalisePayload>,
  filter: FilterFn,
): RecordOutcome {
  const events: ClassifiedEvent[] = [];
  const filtered: Record<string, number> = {};
  const invalid: { index: number; error: string }[] = [];
  let heartbeats = 0;
  for (const item of items) {
    if (item.kind === 'heartbeat') heartbeats += 1;
    else if (item.kind === 'invalid') invalid.push({ index: item.index, error: item.error });
    else {
      const rule = filter(item.event);
      if (rule) filtered[rule] = (filtered[rule] ?? 0) + 1;
      else events.push(item.event);
    }
  }
  const quarantine: QuarantineDoc | null =
    invalid.length === 0
      ? null
      : {
          reason: 'event-invalid',
          error: `${invalid.length} event(s) could not be read: ${invalid
            .slice(0, 5)
            .map((i) => `#${i.index}: ${i.error}`)
            .join('; ')}`,
          source: { ...sourceOf(record, resourceId), invalidEvents: invalid },
          record: record.received,
        };
  return { status: 'ok', events, heartbeats, filtered, quarantine, invalidEvents: invalid.length };
}

/** The day a quarantine document is filed under: arrival day when known (deterministic on retry). */
export function quarantineDay(record: InputRecord, nowMs: number): string {
  return dtOf(BigInt(record.arrivalMs ?? nowMs) * 1000n);
}
