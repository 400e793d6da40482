import 'server-only';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue, timestampValue } from '@duckdb/node-api';
import { ACTIVITY_COLUMNS, type ColumnType } from '../audit/schema';
import { QueryCancelledError, QueryFailedError } from '../http/errors';
import { duckdbDialect, type SqlDialect } from './dialect';
import { CsvSpool, csvPart } from './duckdb-csv';
import { createPartitionLister } from './duckdb-partitions';
import type { CompiledQuery, CsvPart, QueryEngine, QueryParam, QueryResult } from './engine';

/**
 * DuckDB over the local store: one in-process instance (created on first use), a small pool of
 * connections, prepared statements with bound values, interrupt() on abort, streaming results for
 * exports. A store without activity files answers like an empty table instead of failing.
 */

export interface DuckdbEngineOptions {
  /** Absolute path of the store folder (the one holding `activity/`). */
  storeRoot: string;
  /** Concurrent queries; more wait for a free connection. Default 2. */
  connections?: number;
  /** Reconcile files with different column sets (slower: every footer is read at bind time). */
  unionByName?: boolean;
}

const DUCK_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMPTZ',
  int64: 'BIGINT',
  boolean: 'BOOLEAN',
};

// Stands in for read_parquet when the glob matches no file (DuckDB raises instead of returning 0 rows).
const EMPTY_ACTIVITY = `(SELECT ${[
  ...ACTIVITY_COLUMNS.map((c) => `CAST(NULL AS ${DUCK_TYPES[c.type]}) AS ${c.name}`),
  'CAST(NULL AS VARCHAR) AS class',
  'CAST(NULL AS DATE) AS dt',
].join(', ')} WHERE false)`;

const NO_FILES = /No files found that match the pattern/;
const INTERRUPTED = /INTERRUPT|Interrupted/i;

function toDuckValue(value: QueryParam): DuckDBValue {
  if (value instanceof Date) return timestampValue(BigInt(value.getTime()) * 1000n);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return value;
}

export class DuckdbEngine implements QueryEngine {
  readonly name = 'duckdb';
  readonly dialect: SqlDialect;
  private readonly sourceText: string;
  private readonly maxConnections: number;
  private readonly storeRoot: string;
  private instance: Promise<DuckDBInstance> | null = null;
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiters: Array<(c: DuckDBConnection) => void> = [];
  private open = 0;
  private readonly spool = new CsvSpool();

  constructor(options: DuckdbEngineOptions) {
    this.storeRoot = path.resolve(options.storeRoot);
    this.dialect = duckdbDialect({
      storeRoot: this.storeRoot,
      unionByName: options.unionByName ?? false,
      partitions: createPartitionLister(this.storeRoot),
      emptySource: EMPTY_ACTIVITY,
    });
    this.sourceText = this.dialect.activitySource().text;
    this.maxConnections = Math.max(1, options.connections ?? 2);
  }

  async run(q: CompiledQuery, options?: { signal?: AbortSignal }): Promise<QueryResult> {
    const began = performance.now();
    const rows = await this.withConnection(options?.signal, async (conn) => {
      const reader = await this.execute(q, (text, values) => conn.runAndReadAll(text, values));
      return reader.getRowObjectsJson();
    });
    return { rows, bytesScanned: null, engineMs: Math.round(performance.now() - began) };
  }

  async *stream(
    q: CompiledQuery,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<Record<string, unknown>> {
    const signal = options?.signal;
    if (signal?.aborted) throw new QueryCancelledError();
    // A dedicated connection: the streaming result lives as long as the consumer keeps reading.
    const conn = await this.connect();
    const onAbort = () => conn.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await this.execute(q, (text, values) => conn.stream(text, values)).catch(
        (err: unknown) => {
          throw mapError(err, signal);
        },
      );
      for await (const rows of result.yieldRowObjectJson()) {
        if (signal?.aborted) throw new QueryCancelledError();
        yield* rows;
      }
    } catch (err) {
      throw mapError(err, signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      conn.closeSync();
    }
  }

  async writeCsv(q: CompiledQuery, options?: { signal?: AbortSignal }): Promise<CsvPart> {
    const file = await this.spool.nextFile();
    try {
      const rows = await this.withConnection(options?.signal, async (conn) => {
        const copy = this.spool.copyQuery(q, file);
        // Rows in any order unless the query sorts (an ORDER BY still holds): the writer threads
        // need not wait for each other (measured: faster, and less memory held for reordering).
        await conn.run('SET SESSION preserve_insertion_order = false');
        try {
          const reader = await this.execute(copy, (text, values) => conn.runAndReadAll(text, values));
          return Number(reader.getRows()[0]?.[0] ?? 0);
        } finally {
          // Never hides the COPY's own error; a connection left unordered only loses the order of
          // reads without ORDER BY, and every read whose order matters has one.
          await conn.run('RESET SESSION preserve_insertion_order').catch(() => undefined);
        }
      });
      return csvPart(file, rows);
    } catch (err) {
      await csvPart(file, 0).dispose();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.spool.close();
    const instance = this.instance;
    this.instance = null;
    for (const conn of this.idle.splice(0)) conn.closeSync();
    this.open = 0;
    if (instance !== null) (await instance).closeSync();
  }

  private async execute<T>(
    q: CompiledQuery,
    send: (text: string, values: DuckDBValue[]) => Promise<T>,
  ): Promise<T> {
    const values = q.params.map(toDuckValue);
    try {
      return await send(q.text, values);
    } catch (err) {
      if (!(err instanceof Error && NO_FILES.test(err.message))) throw err;
      return send(q.text.replaceAll(this.sourceText, EMPTY_ACTIVITY), values);
    }
  }

  private getInstance(): Promise<DuckDBInstance> {
    this.instance ??= createInstance();
    return this.instance;
  }

  private async connect(): Promise<DuckDBConnection> {
    return (await this.getInstance()).connect();
  }

  private async acquire(): Promise<DuckDBConnection> {
    const conn = this.idle.pop();
    if (conn !== undefined) return conn;
    if (this.open < this.maxConnections) {
      this.open++;
      try {
        return await this.connect();
      } catch (err) {
        this.open--;
        throw err;
      }
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(conn: DuckDBConnection): void {
    const next = this.waiters.shift();
    if (next !== undefined) next(conn);
    else this.idle.push(conn);
  }

  private async withConnection<T>(
    signal: AbortSignal | undefined,
    work: (c: DuckDBConnection) => Promise<T>,
  ): Promise<T> {
    if (signal?.aborted) throw new QueryCancelledError();
    const conn = await this.acquire();
    const onAbort = () => conn.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) throw new QueryCancelledError();
      return await work(conn);
    } catch (err) {
      throw mapError(err, signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.release(conn);
    }
  }
}

// Settings that need the built-in extensions loaded, so they go in after creation, GLOBAL for every connection.
async function createInstance(): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:');
  const setup = await instance.connect();
  try {
    // Timestamp parameters are UTC text; the session zone decides how DuckDB reads them.
    await setup.run("SET GLOBAL TimeZone = 'UTC'");
    // DuckDB counts the machine's cores; a process limited to fewer (taskset, cpusets) would run
    // more threads than it has cores (measured: an export pinned to one core ran half as fast).
    await setup.run(`SET GLOBAL threads = ${Math.max(1, availableParallelism())}`);
    // Footers are re-read on every query otherwise; the cache is keyed by file and modification time.
    await setup.run('SET GLOBAL parquet_metadata_cache = true');
    // DuckDB keeps a copy of the file bytes it reads, evicted only near memory_limit (80% of RAM):
    // over a local store the OS page cache already holds them, and the copy grew ~10 MB a day of
    // data exported (measured: a 5 M-row export peaked at 591 MB with it, 387 MB without).
    await setup.run('SET GLOBAL enable_external_file_cache = false');
    const spill = path.join(tmpdir(), `dasboard-duckdb-${process.pid}`).replaceAll("'", "''");
    await setup.run(`SET GLOBAL temp_directory = '${spill}'`);
  } finally {
    setup.closeSync();
  }
  return instance;
}

function mapError(err: unknown, signal: AbortSignal | undefined): Error {
  if (err instanceof QueryCancelledError || err instanceof QueryFailedError) return err;
  if (signal?.aborted || (err instanceof Error && INTERRUPTED.test(err.message))) {
    return new QueryCancelledError(undefined, { cause: err });
  }
  return new QueryFailedError(undefined, { cause: err });
}
