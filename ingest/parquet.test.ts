import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, DuckDBTimestampTZValue } from '@duckdb/node-api';
import { parquetMetadata } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticEvents } from '../bench/synthetic-activity';
import { ACTIVITY_COLUMNS, type ActivityEvent, activityPartitionPrefix } from '../lib/audit/schema';
import { PARQUET_CODEC, ParquetWriteError, writeActivityParquet } from './parquet';

const T0 = 1_795_564_800_123_457n; // 2026-11-25T00:00:00.123457Z: µs that a float ms would lose

function makeEvent(overrides: Partial<ActivityEvent> = {}): ActivityEvent {
  const [base] = makeSyntheticEvents(1, 7);
  if (!base) throw new Error('no synthetic event');
  return { ...base, event_id: 'evt-base', event_time: T0, log_time: T0 + 1n, ...overrides };
}

const NULLS = {
  end_time: null,
  object_type: null,
  object_name: null,
  command_text: null,
  param_list: null,
  row_count: null,
  exit_code: null,
  error_message: null,
  session_id: null,
  statement_id: null,
  transaction_id: null,
  substatement_id: null,
  pid: null,
  remote_host: null,
  remote_port: null,
  client_application: null,
  net_protocol: null,
  db_protocol: null,
} satisfies Partial<ActivityEvent>;

const UNICODE = "SELECT 'żółć 日本語 עברית 🦆👩‍👩‍👧 e\u0301' AS \"naïve\", E'tab\\there'\n-- done\t✓";
const LONG_STATEMENT = `SELECT '${'x'.repeat(1024 * 1024)}' /* ${'é'.repeat(1000)} */`;

// Unsorted on purpose: the writer must sort by event_time.
const ROWS: ActivityEvent[] = [
  makeEvent({ event_id: 'evt-late', event_time: T0 + 3_600_000_000n, failed: true, is_aux: true }),
  makeEvent({ event_id: 'evt-nulls', event_time: T0 + 2n, ...NULLS }),
  makeEvent({ event_id: 'evt-unicode', event_time: T0 + 1n, command_text: UNICODE, db_user: 'ユーザー' }),
  makeEvent({
    event_id: 'evt-long',
    command_text: LONG_STATEMENT,
    raw: JSON.stringify({ commandText: LONG_STATEMENT }),
  }),
  makeEvent({
    event_id: 'evt-big-ints',
    event_time: T0 - 86_400_000_000n * 400n,
    row_count: 9_223_372_036_854_775_807n,
    pid: -9_223_372_036_854_775_808n,
    substatement_id: 9_007_199_254_740_993n, // 2^53 + 1
    end_time: T0 + 999_999n,
  }),
  ...makeSyntheticEvents(300, 3),
];

function toPlain(value: unknown): unknown {
  return value instanceof DuckDBTimestampTZValue ? value.micros : value;
}

describe('writeActivityParquet', () => {
  let dir = '';
  const file = () => join(dir, activityPartitionPrefix('DML', '2026-11-25'), 'batch-0.parquet');
  let bytes: Uint8Array = new Uint8Array();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dasboard-parquet-'));
    bytes = writeActivityParquet(ROWS);
    await mkdir(join(dir, activityPartitionPrefix('DML', '2026-11-25')), { recursive: true });
    await writeFile(file(), bytes);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function query(sql: string) {
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    try {
      return await connection.runAndReadAll(sql);
    } finally {
      connection.closeSync();
    }
  }

  it('reads back in DuckDB through the Hive layout, every column and row exact', async () => {
    // Prepare
    const byTimeThenId = (a: ActivityEvent, b: ActivityEvent) =>
      a.event_time !== b.event_time
        ? a.event_time < b.event_time
          ? -1
          : 1
        : a.event_id < b.event_id
          ? -1
          : 1;
    const expected = [...ROWS].sort(byTimeThenId);
    // Act
    const reader = await query(
      `SELECT * FROM read_parquet('${dir}/activity/**/*.parquet', hive_partitioning = true) ORDER BY event_time, event_id`,
    );
    // Assess
    const rows = reader.getRowObjects();
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, i) => {
      expect(row.class).toBe('DML');
      for (const column of ACTIVITY_COLUMNS) {
        expect([expected[i]?.event_id, column.name, toPlain(row[column.name])]).toEqual([
          expected[i]?.event_id,
          column.name,
          Reflect.get(expected[i] ?? {}, column.name),
        ]);
      }
    });
  });

  it('types columns as the contract says (TIMESTAMP WITH TIME ZONE, BIGINT, BOOLEAN, VARCHAR, dt DATE)', async () => {
    const reader = await query(
      `DESCRIBE SELECT * FROM read_parquet('${dir}/activity/**/*.parquet', hive_partitioning = true)`,
    );
    const types = Object.fromEntries(reader.getRowObjectsJson().map((r) => [r.column_name, r.column_type]));
    const duckType = {
      string: 'VARCHAR',
      timestamp: 'TIMESTAMP WITH TIME ZONE',
      int64: 'BIGINT',
      boolean: 'BOOLEAN',
    };
    for (const column of ACTIVITY_COLUMNS)
      expect([column.name, types[column.name]]).toEqual([column.name, duckType[column.type]]);
    expect(types.dt).toBe('DATE');
    expect(Object.keys(types)).toEqual([...ACTIVITY_COLUMNS.map((c) => c.name), 'class', 'dt']);
  });

  it('stores rows sorted by event_time (file order)', async () => {
    const reader = await query(`SELECT event_time FROM read_parquet('${file()}')`);
    const times = reader.getRowObjects().map((r) => toPlain(r.event_time));
    const outOfOrder = times.filter(
      (t, i) => i > 0 && typeof t === 'bigint' && t < BigInt(String(times[i - 1])),
    );
    expect(times).toHaveLength(ROWS.length);
    expect(outOfOrder).toEqual([]);
  });

  it('writes Athena-readable logical types, REQUIRED/OPTIONAL per nullability, Snappy and dictionaries', () => {
    // Act
    const metadata = parquetMetadata(bytes.slice().buffer);
    // Assess
    const leaves = metadata.schema.slice(1);
    expect(leaves.map((e) => e.name)).toEqual(ACTIVITY_COLUMNS.map((c) => c.name));
    leaves.forEach((element, i) => {
      const column = ACTIVITY_COLUMNS[i];
      expect(element.repetition_type).toBe(column?.nullable ? 'OPTIONAL' : 'REQUIRED');
      if (column?.type === 'timestamp') {
        expect(element.type).toBe('INT64');
        expect(element.logical_type).toEqual({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' });
      }
      if (column?.type === 'string') {
        expect([element.type, element.converted_type, element.logical_type]).toEqual([
          'BYTE_ARRAY',
          'UTF8',
          { type: 'STRING' },
        ]);
      }
      if (column?.type === 'int64')
        expect([element.type, element.logical_type]).toEqual(['INT64', undefined]);
      if (column?.type === 'boolean') expect(element.type).toBe('BOOLEAN');
    });
    const chunks = metadata.row_groups.flatMap((g) => g.columns);
    expect(new Set(chunks.map((c) => c.meta_data?.codec))).toEqual(new Set([PARQUET_CODEC]));
    const engine = chunks.find((c) => c.meta_data?.path_in_schema.join('.') === 'engine');
    expect(engine?.meta_data?.encodings).toContain('RLE_DICTIONARY');
    const eventTime = chunks.find((c) => c.meta_data?.path_in_schema.join('.') === 'event_time');
    expect(eventTime?.meta_data?.statistics?.min_value).toBeDefined();
  });

  it('writes a readable file for an empty batch', async () => {
    await writeFile(join(dir, 'empty.parquet'), writeActivityParquet([]));
    const reader = await query(`SELECT count(*) AS n FROM read_parquet('${join(dir, 'empty.parquet')}')`);
    expect(reader.getRowObjects()[0]?.n).toBe(0n);
  });

  it('rejects a null in a required column or a wrongly typed cell, naming the column', () => {
    // Untyped callers (JS, bad parsing) can still hand over such rows; Object.assign keeps tsc quiet.
    const nullUser = Object.assign(makeEvent(), { db_user: null });
    const numberTime = Object.assign(makeEvent(), { event_time: 5 });
    expect(() => writeActivityParquet([makeEvent(), nullUser])).toThrow(ParquetWriteError);
    expect(() => writeActivityParquet([nullUser])).toThrow(/row 0: column db_user expects string, got null/);
    expect(() => writeActivityParquet([numberTime])).toThrow(/column event_time expects bigint, got number/);
  });
});
