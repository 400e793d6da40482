import { createHash } from 'node:crypto';
import {
  type ActivityClass,
  activityPartitionPrefix,
  type ClassifiedEvent,
  dtOf,
  STORE_PREFIX,
} from '../lib/audit/schema';
import type { ObjectStore } from '../lib/store/types';
import { writeActivityParquet } from './parquet';
import { mapPool } from './pool';
import type { QuarantineDoc } from './process-record';

/** Rows per Parquet object: bounds Lambda memory; a day of one class in a batch rarely gets near it. */
export const MAX_ROWS_PER_OBJECT = 250_000;
const PUT_CONCURRENCY = 4;

export interface PendingQuarantine {
  readonly day: string;
  readonly digest: string;
  readonly doc: QuarantineDoc;
}

export interface WriteResult {
  activityObjects: string[];
  quarantineObjects: string[];
  bytes: number;
}

/** Deterministic name of a batch: the same input records give the same object names. */
export function batchKey(recordDigests: readonly string[]): string {
  const h = createHash('sha256');
  for (const d of recordDigests) h.update(d).update('\n');
  return h.digest('hex').slice(0, 32);
}

function groupByPartition(events: readonly ClassifiedEvent[]): Map<string, ClassifiedEvent[]> {
  const groups = new Map<string, ClassifiedEvent[]>();
  for (const e of events) {
    const key = `${e.class}\u0000${dtOf(e.event_time)}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  return groups;
}

interface PlannedObject {
  key: string;
  rows: ClassifiedEvent[];
}

function planActivityObjects(events: readonly ClassifiedEvent[], name: string): PlannedObject[] {
  const plan: PlannedObject[] = [];
  const sorted = [...groupByPartition(events).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [key, rows] of sorted) {
    const [cls, dt] = key.split('\u0000') as [ActivityClass, string];
    for (let part = 0; part * MAX_ROWS_PER_OBJECT < rows.length; part++) {
      const chunk = rows.slice(part * MAX_ROWS_PER_OBJECT, (part + 1) * MAX_ROWS_PER_OBJECT);
      plan.push({ key: `${activityPartitionPrefix(cls, dt)}${name}-${part}.parquet`, rows: chunk });
    }
  }
  return plan;
}

/**
 * Writes one batch: a Parquet object per (class, dt) (split above MAX_ROWS_PER_OBJECT) and one JSON
 * document per quarantined record. Every name is deterministic, so a retried batch overwrites its
 * own objects instead of adding duplicates. Any store failure rejects (the batch is retried).
 */
export async function writeBatch(
  store: ObjectStore,
  name: string,
  events: readonly ClassifiedEvent[],
  quarantine: readonly PendingQuarantine[],
): Promise<WriteResult> {
  const plan = planActivityObjects(events, name);
  let bytes = 0;
  await mapPool(plan, PUT_CONCURRENCY, async (obj) => {
    const body = await writeActivityParquet(obj.rows);
    bytes += body.byteLength;
    await store.put(obj.key, body, 'application/vnd.apache.parquet');
  });
  const quarantineKeys = await mapPool(quarantine, PUT_CONCURRENCY, async (q) => {
    const key = `${STORE_PREFIX.quarantine}dt=${q.day}/${q.digest.slice(0, 32)}.json`;
    const body = `${JSON.stringify(q.doc)}\n`;
    bytes += Buffer.byteLength(body);
    await store.put(key, body, 'application/json');
    return key;
  });
  return { activityObjects: plan.map((p) => p.key), quarantineObjects: quarantineKeys, bytes };
}
