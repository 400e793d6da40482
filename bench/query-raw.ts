/**
 * The "raw DuckDB" side of the query benchmark: the exact CompiledQuery the service sent (captured
 * by a recording engine) replayed on plain @duckdb/node-api connections, rows materialised, nothing
 * else (no zod, no masking, no access log). Same session settings as the engine (UTC, footer cache, threads).
 */
import { availableParallelism } from 'node:os';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue, timestampValue } from '@duckdb/node-api';
import type { CompiledQuery, QueryEngine, QueryResult } from '../lib/query/engine';

/** Delegates to the real engine and remembers every query it was asked to run. */
export class RecordingEngine implements QueryEngine {
  readonly name: QueryEngine['name'];
  readonly dialect: QueryEngine['dialect'];
  recorded: CompiledQuery[] = [];

  constructor(private readonly inner: QueryEngine) {
    this.name = inner.name;
    this.dialect = inner.dialect;
  }

  run(q: CompiledQuery, options?: { signal?: AbortSignal }): Promise<QueryResult> {
    this.recorded.push(q);
    return this.inner.run(q, options);
  }

  stream(q: CompiledQuery, options?: { signal?: AbortSignal }): AsyncIterable<Record<string, unknown>> {
    this.recorded.push(q);
    return this.inner.stream(q, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function toDuckValue(value: CompiledQuery['params'][number]): DuckDBValue {
  if (value instanceof Date) return timestampValue(BigInt(value.getTime()) * 1000n);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return value;
}

/** A plain instance with `connections` connections; `runAll` spreads queries over them like the pool. */
export class RawDuckdb {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conns: DuckDBConnection[],
  ) {}

  static async open(connections = 2): Promise<RawDuckdb> {
    const instance = await DuckDBInstance.create(':memory:');
    const conns: DuckDBConnection[] = [];
    for (let i = 0; i < connections; i++) conns.push(await instance.connect());
    const first = conns[0];
    if (first === undefined) throw new Error('no connection');
    await first.run("SET GLOBAL TimeZone = 'UTC'");
    await first.run('SET GLOBAL parquet_metadata_cache = true');
    await first.run('SET GLOBAL enable_external_file_cache = false');
    await first.run(`SET GLOBAL threads = ${Math.max(1, availableParallelism())}`);
    return new RawDuckdb(instance, conns);
  }

  /** Runs one query and returns its rows. */
  async rows(q: CompiledQuery, conn = 0): Promise<DuckDBValue[][]> {
    const c = this.conns[conn % this.conns.length];
    if (c === undefined) throw new Error('no connection');
    const reader = await c.runAndReadAll(q.text, q.params.map(toDuckValue));
    return reader.getRows();
  }

  /** Runs one query and returns its row count. */
  async run(q: CompiledQuery, conn = 0): Promise<number> {
    return (await this.rows(q, conn)).length;
  }

  /** Runs queries concurrently, at most one per connection at a time (as the engine's pool does). */
  async runAll(queries: readonly CompiledQuery[]): Promise<number> {
    let next = 0;
    let rows = 0;
    const lane = async (conn: number) => {
      for (let i = next++; i < queries.length; i = next++) {
        const q = queries[i];
        if (q !== undefined) rows += await this.run(q, conn);
      }
    };
    await Promise.all(this.conns.map((_, i) => lane(i)));
    return rows;
  }

  async explainAnalyze(q: CompiledQuery): Promise<string> {
    const c = this.conns[0];
    if (c === undefined) throw new Error('no connection');
    const reader = await c.runAndReadAll(`EXPLAIN ANALYZE ${q.text}`, q.params.map(toDuckValue));
    return reader
      .getRows()
      .map((r) => String(r[1] ?? ''))
      .join('\n');
  }

  close(): void {
    for (const c of this.conns) c.closeSync();
    this.instance.closeSync();
  }
}
