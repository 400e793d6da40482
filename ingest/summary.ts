import { ACTIVITY_CLASSES, type ActivityClass } from '../lib/audit/schema';
import type { QuarantineReason } from './errors';

/** What one batch (or a whole CLI run) did with every input record and event. */
export interface IngestSummary {
  records: {
    received: number;
    processed: number;
    quarantined: number;
    duplicates: number;
    retryable: number;
  };
  events: { stored: number; byClass: Record<ActivityClass, number>; invalid: number };
  heartbeats: number;
  filtered: Record<string, number>;
  quarantine: Partial<Record<QuarantineReason, number>>;
  kmsCalls: number;
  objects: { activity: number; quarantine: number; bytes: number };
}

export function emptySummary(): IngestSummary {
  return {
    records: { received: 0, processed: 0, quarantined: 0, duplicates: 0, retryable: 0 },
    events: {
      stored: 0,
      byClass: Object.fromEntries(ACTIVITY_CLASSES.map((c) => [c, 0])) as Record<ActivityClass, number>,
      invalid: 0,
    },
    heartbeats: 0,
    filtered: {},
    quarantine: {},
    kmsCalls: 0,
    objects: { activity: 0, quarantine: 0, bytes: 0 },
  };
}

const addCounts = <K extends string>(into: Partial<Record<K, number>>, from: Partial<Record<K, number>>) => {
  for (const [k, v] of Object.entries(from) as [K, number | undefined][]) {
    into[k] = (into[k] ?? 0) + (v ?? 0);
  }
};

/** Adds `from` into `into` (used to total several batches). */
export function mergeSummary(into: IngestSummary, from: IngestSummary): IngestSummary {
  for (const k of Object.keys(into.records) as (keyof IngestSummary['records'])[]) {
    into.records[k] += from.records[k];
  }
  into.events.stored += from.events.stored;
  into.events.invalid += from.events.invalid;
  addCounts(into.events.byClass, from.events.byClass);
  into.heartbeats += from.heartbeats;
  addCounts(into.filtered, from.filtered);
  addCounts(into.quarantine, from.quarantine);
  into.kmsCalls += from.kmsCalls;
  into.objects.activity += from.objects.activity;
  into.objects.quarantine += from.objects.quarantine;
  into.objects.bytes += from.objects.bytes;
  return into;
}
