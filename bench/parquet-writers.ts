/**
 * Which Parquet writer for the ingest Lambda? Writes the same synthetic activity rows with
 * hyparquet-writer (pure JS) and parquet-wasm + apache-arrow (Rust/wasm), and reports µs/row,
 * output size and what each adds to an esbuild bundle. Run: `node --import tsx bench/parquet-writers.ts [rows]`.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as arrow from 'apache-arrow';
import { build } from 'esbuild';
import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import * as wasm from 'parquet-wasm';
import { activityParquetSchema, writeActivityParquet } from '../ingest/parquet';
import type { ActivityEvent, ColumnDef } from '../lib/audit/schema';
import { ACTIVITY_COLUMNS } from '../lib/audit/schema';
import { makeSyntheticEvents } from './synthetic-activity';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function cells(rows: readonly ActivityEvent[], column: ColumnDef): unknown[] {
  return rows.map((row) => Reflect.get(row, column.name));
}

const GZIP_COMPRESSORS = { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)) };

function writeHyparquetGzip(rows: readonly ActivityEvent[]): Uint8Array {
  const sorted = [...rows].sort((a, b) =>
    a.event_time < b.event_time ? -1 : a.event_time > b.event_time ? 1 : 0,
  );
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    schema: activityParquetSchema(),
    columnData: ACTIVITY_COLUMNS.map((column) => ({ name: column.name, data: cells(sorted, column) })),
    codec: 'GZIP',
    compressors: GZIP_COMPRESSORS,
    rowGroupSize: 50_000,
  });
  return writer.getBytes();
}

function arrowType(column: ColumnDef): arrow.DataType {
  if (column.type === 'string') return new arrow.Utf8();
  if (column.type === 'boolean') return new arrow.Bool();
  if (column.type === 'int64') return new arrow.Int64();
  return new arrow.TimestampMicrosecond('UTC');
}

// Arrow JS builders take timestamps as float milliseconds; build the int64 buffers directly
// so that microseconds stay exact.
function bigintData(column: ColumnDef, values: unknown[]): arrow.Data {
  const data = new BigInt64Array(values.length);
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((value, i) => {
    if (typeof value === 'bigint') {
      data[i] = value;
      nullBitmap[i >> 3] = (nullBitmap[i >> 3] ?? 0) | (1 << (i & 7));
    } else nullCount++;
  });
  const props = { length: values.length, nullCount, nullBitmap, data };
  if (column.type === 'int64') return arrow.makeData({ type: new arrow.Int64(), ...props });
  return arrow.makeData({ type: new arrow.TimestampMicrosecond('UTC'), ...props });
}

function arrowData(column: ColumnDef, values: unknown[]): arrow.Data {
  if (column.type === 'int64' || column.type === 'timestamp') return bigintData(column, values);
  const type = arrowType(column);
  return arrow.vectorFromArray(values, type).data[0] ?? arrow.makeData({ type, length: 0 });
}

function writeParquetWasm(rows: readonly ActivityEvent[], compression: wasm.Compression): Uint8Array {
  const sorted = [...rows].sort((a, b) =>
    a.event_time < b.event_time ? -1 : a.event_time > b.event_time ? 1 : 0,
  );
  const fields = ACTIVITY_COLUMNS.map((c) => new arrow.Field(c.name, arrowType(c), c.nullable));
  const children = ACTIVITY_COLUMNS.map((c) => arrowData(c, cells(sorted, c)));
  const struct = arrow.makeData({
    type: new arrow.Struct(fields),
    length: sorted.length,
    nullCount: 0,
    children,
  });
  const table = new arrow.Table([new arrow.RecordBatch(new arrow.Schema(fields), struct)]);
  const wasmTable = wasm.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'));
  const props = new wasm.WriterPropertiesBuilder()
    .setCompression(compression)
    .setMaxRowGroupSize(50_000)
    .build();
  return wasm.writeParquet(wasmTable, props);
}

async function bundleBytes(contents: string): Promise<number> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
}

function importMs(specifier: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(specifier)});console.log(performance.now()-t)`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
  return Number(out.toString().trim());
}

const WRITERS = [
  { name: 'hyparquet-writer SNAPPY (chosen)', write: writeActivityParquet },
  { name: 'hyparquet-writer GZIP (node:zlib)', write: writeHyparquetGzip },
  {
    name: 'parquet-wasm SNAPPY',
    write: (r: readonly ActivityEvent[]) => writeParquetWasm(r, wasm.Compression.SNAPPY),
  },
  {
    name: 'parquet-wasm ZSTD',
    write: (r: readonly ActivityEvent[]) => writeParquetWasm(r, wasm.Compression.ZSTD),
  },
];

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const rows = makeSyntheticEvents(count);
  const inputMb = rows.reduce((sum, r) => sum + r.raw.length + (r.command_text?.length ?? 0), 0) / 1e6;
  console.log(`${count} rows, ~${inputMb.toFixed(1)} MB of raw + statement text\n`);
  for (const { name, write } of WRITERS) {
    write(rows.slice(0, 2000)); // warm-up (JIT, wasm memory)
    const wall: number[] = [];
    const cpu: number[] = [];
    let size = 0;
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      const startCpu = process.cpuUsage();
      size = write(rows).byteLength;
      const used = process.cpuUsage(startCpu);
      wall.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
    }
    // CPU time is reported too: on a shared machine wall time mostly measures the neighbours.
    const perRow = (ms: number[]) => ((Math.min(...ms) * 1000) / count).toFixed(1).padStart(6);
    console.log(
      `${name.padEnd(36)} ${perRow(wall)} µs/row wall ${perRow(cpu)} µs/row CPU  ${(size / 1e6).toFixed(2)} MB`,
    );
  }

  const baseline = await bundleBytes('console.log(1)');
  const hyparquet = await bundleBytes(
    "import { ByteWriter, parquetWrite } from 'hyparquet-writer'; console.log(ByteWriter, parquetWrite);",
  );
  const ours = await bundleBytes(
    "import { writeActivityParquet } from './ingest/parquet'; console.log(writeActivityParquet);",
  );
  const arrowWasm = await bundleBytes(
    "import { tableToIPC } from 'apache-arrow'; import { writeParquet, Table } from 'parquet-wasm'; console.log(tableToIPC, writeParquet, Table);",
  );
  const wasmFile = statSync(
    join(dirname(createRequire(import.meta.url).resolve('parquet-wasm')), 'parquet_wasm_bg.wasm'),
  );
  const kb = (bytes: number) => `${((bytes - baseline) / 1024).toFixed(0)} KB`;
  console.log('\nesbuild bundle added (minified, node20 esm):');
  console.log(`  hyparquet-writer                     ${kb(hyparquet)}`);
  console.log(`  ingest/parquet.ts (+ zod via schema)  ${kb(ours)}`);
  console.log(
    `  apache-arrow + parquet-wasm JS        ${kb(arrowWasm)} + ${(wasmFile.size / 1024).toFixed(0)} KB .wasm beside it`,
  );
  console.log('\ncold import (ms, fresh node):');
  console.log(`  hyparquet-writer ${importMs('hyparquet-writer').toFixed(0)}`);
  console.log(
    `  parquet-wasm     ${importMs('parquet-wasm').toFixed(0)}  apache-arrow ${importMs('apache-arrow').toFixed(0)}`,
  );
}

await main();
