import { ByteWriter, parquetWrite, type SchemaElement } from 'hyparquet-writer';
import type { ActivityEvent, ColumnDef, ColumnType } from '../lib/audit/schema';
import { ACTIVITY_COLUMNS } from '../lib/audit/schema';

/**
 * Activity files: one Parquet file per (class, day) batch, columns exactly as ACTIVITY_COLUMNS.
 * hyparquet-writer was chosen by measurement (bench/parquet-writers.ts): pure JS, ~55 KB in the
 * Lambda bundle, Snappy built in; parquet-wasm would add ~5 MB of wasm for ZSTD.
 */
export const PARQUET_CODEC = 'SNAPPY' as const;

/**
 * Rows per row group: one group for a typical Lambda batch. Files are sorted by event_time, so
 * each group spans a short time and a time-bounded read (an export's hour, the explorer's day)
 * decodes only the groups it needs instead of re-decoding big ones (README, Benchmarks).
 */
export const PARQUET_ROW_GROUP_SIZE = 10_000;

export const PARQUET_CONTENT_TYPE = 'application/vnd.apache.parquet';

/** Physical + logical type per contract type; converted_type is kept too for older readers. */
const ELEMENT_BY_TYPE = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
  timestamp: {
    type: 'INT64',
    converted_type: 'TIMESTAMP_MICROS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
  },
  int64: { type: 'INT64' },
  boolean: { type: 'BOOLEAN' },
} as const satisfies Record<ColumnType, Omit<SchemaElement, 'name'>>;

export class ParquetWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ParquetWriteError';
  }
}

function schemaElement(column: ColumnDef): SchemaElement {
  return {
    name: column.name,
    repetition_type: column.nullable ? 'OPTIONAL' : 'REQUIRED',
    ...ELEMENT_BY_TYPE[column.type],
  };
}

/** The Parquet schema of activity files (root + one leaf per contract column). */
export function activityParquetSchema(): SchemaElement[] {
  return [{ name: 'root', num_children: ACTIVITY_COLUMNS.length }, ...ACTIVITY_COLUMNS.map(schemaElement)];
}

// Sorted by event_time for tight min/max statistics; event_id breaks ties so that the same
// batch always produces the same bytes (retries overwrite identical objects).
function compareEvents(a: ActivityEvent, b: ActivityEvent): number {
  if (a.event_time !== b.event_time) return a.event_time < b.event_time ? -1 : 1;
  if (a.event_id === b.event_id) return 0;
  return a.event_id < b.event_id ? -1 : 1;
}

type Cell = string | bigint | boolean | null;

const JS_TYPE_BY_COLUMN_TYPE = {
  string: 'string',
  timestamp: 'bigint',
  int64: 'bigint',
  boolean: 'boolean',
} as const satisfies Record<ColumnType, string>;

function isCell(value: unknown, column: ColumnDef): value is Cell {
  if (value === null) return column.nullable;
  return typeof value === JS_TYPE_BY_COLUMN_TYPE[column.type];
}

// The library would write a wrong value silently (e.g. a null in a REQUIRED column shifts the
// rest of the page), so every cell is checked against the contract first. Reflect.get because
// the contract's column names are plain strings, checked here at run time.
function columnValues(rows: readonly ActivityEvent[], column: ColumnDef): Cell[] {
  return rows.map((row, index) => {
    const value: unknown = Reflect.get(row, column.name);
    if (isCell(value, column)) return value;
    const got = value === null ? 'null' : typeof value;
    const expected = JS_TYPE_BY_COLUMN_TYPE[column.type];
    throw new ParquetWriteError(`row ${index}: column ${column.name} expects ${expected}, got ${got}`);
  });
}

/** Encodes events as one Snappy-compressed Parquet file (rows sorted by event_time). Synchronous. */
// Long free text is never range-filtered: min/max statistics on it cost time and say nothing.
const NO_STATISTICS = new Set(['raw', 'command_text', 'param_list', 'error_message']);
// Unique per event: a dictionary cannot help, so skip the library's sampling for it.
const PLAIN_ENCODED = new Set(['event_id', 'raw', 'command_text', 'event_time', 'log_time', 'end_time']);

function columnSource(sorted: readonly ActivityEvent[], column: ColumnDef) {
  return {
    name: column.name,
    data: columnValues(sorted, column),
    ...(NO_STATISTICS.has(column.name) ? { statistics: false } : {}),
    ...(PLAIN_ENCODED.has(column.name) ? { encoding: 'PLAIN' as const } : {}),
  };
}

export function writeActivityParquet(rows: readonly ActivityEvent[]): Uint8Array {
  const sorted = [...rows].sort(compareEvents);
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    schema: activityParquetSchema(),
    columnData: ACTIVITY_COLUMNS.map((column) => columnSource(sorted, column)),
    codec: PARQUET_CODEC,
    rowGroupSize: PARQUET_ROW_GROUP_SIZE,
    createdBy: 'dasboard (hyparquet-writer)',
  });
  return writer.getBytes();
}
