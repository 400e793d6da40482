import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeActivityParquet } from '../../ingest/parquet';
import {
  ACTIVITY_CLASSES,
  type ActivityEvent,
  activityPartitionPrefix,
  type ClassifiedEvent,
  dtOf,
} from '../../lib/audit/schema';

/*
 * Synthetic activity for the Athena tests: deterministic events and a store folder written the
 * way the ingest writes it (one Parquet file per class and day, via ingest/parquet).
 */

const BASE_MICROS = 1_764_064_800_000_000n; // 2025-11-25T10:00:00Z
const USERS = ['alice', 'bob', 'carol', "o'brien"];

/** Event `i`: a minute apart from `i - 1`, classes, users and nullable fields cycling. */
export function syntheticEvent(i: number, overrides: Partial<ClassifiedEvent> = {}): ClassifiedEvent {
  const time = BASE_MICROS + BigInt(i) * 60_000_000n + 123_456n;
  const cls = ACTIVITY_CLASSES[i % ACTIVITY_CLASSES.length] ?? 'OTHER';
  return {
    event_id: `evt-${String(i).padStart(6, '0')}`,
    event_time: time,
    log_time: time + 5n,
    end_time: i % 3 === 0 ? null : time + 1_000n,
    engine: 'postgresql',
    resource_id: `cluster-${i % 2 === 0 ? 'AAAA' : 'BBBB'}`,
    cluster_id: 'c1',
    instance_id: 'i1',
    server_host: '10.0.0.1',
    server_version: '16.4',
    db_user: USERS[i % USERS.length] ?? 'alice',
    database_name: i % 2 === 0 ? 'sales' : 'hr',
    object_type: i % 4 === 0 ? null : 'TABLE',
    object_name: i % 4 === 0 ? null : `t${i % 7}`,
    command: cls === 'DQL' ? 'SELECT' : 'ALTER TABLE',
    command_text: i % 5 === 0 ? null : `SELECT '${i}', "x, y" FROM t -- ünï\nWHERE a = ''`,
    param_list: i % 6 === 0 ? '' : null,
    row_count: i % 2 === 0 ? BigInt(i) : null,
    exit_code: null,
    error_message: null,
    failed: i % 9 === 0,
    session_id: `s${i % 11}`,
    statement_id: String(i),
    transaction_id: null,
    substatement_id: 1n,
    pid: 4242n,
    is_aux: false,
    remote_host: '10.0.0.9',
    remote_port: '5432',
    client_application: 'psql',
    net_protocol: 'TCP',
    db_protocol: 'Postgres 3.0',
    das_class: 'Standard',
    das_version: '1.2',
    raw: JSON.stringify({ i }),
    ingested_at: time + 10_000_000n,
    class: cls,
    ...overrides,
  };
}

/** Writes the events under `<dir>/activity/class=…/dt=…/part-0.parquet`. */
export async function writeActivityStore(dir: string, events: readonly ClassifiedEvent[]): Promise<void> {
  const partitions = new Map<string, ActivityEvent[]>();
  for (const { class: cls, ...event } of events) {
    const prefix = activityPartitionPrefix(cls, dtOf(event.event_time));
    const rows = partitions.get(prefix) ?? [];
    rows.push(event);
    partitions.set(prefix, rows);
  }
  for (const [prefix, rows] of partitions) {
    await mkdir(join(dir, prefix), { recursive: true });
    await writeFile(join(dir, prefix, 'part-0.parquet'), writeActivityParquet(rows));
  }
}
