import type { SqlDialect } from './dialect';

/** One read, ready for an engine: placeholder text plus positional values. */
export interface CompiledQuery {
  text: string;
  params: readonly QueryParam[];
  /** for logs and the access log, never values */
  label: string;
}

export type QueryParam = string | number | bigint | boolean | Date | null;

export interface QueryResult {
  /** JSON-safe cells: BIGINT and TIMESTAMP arrive as text (Athena returns every cell as text). */
  rows: Record<string, unknown>[];
  /** Bytes the engine read from storage, when it reports them (Athena does, DuckDB does not). */
  bytesScanned: number | null;
  engineMs: number;
}

/** Rows an engine wrote as CSV into a private temporary file, ready to be read once. */
export interface CsvPart {
  /** Data rows in the part (no header). */
  readonly rows: number;
  /** The file itself (private to the engine's spool folder), for readers that need positions. */
  readonly file: string;
  /** The part's bytes in order, in chunks of bounded size. */
  chunks(): AsyncIterable<Uint8Array>;
  /** Deletes the file; safe to call more than once. */
  dispose(): Promise<void>;
}

/** The port between the query layer and an engine (DuckDB on a laptop, Athena in production). */
export interface QueryEngine {
  /** Engine name, for logs and health checks. */
  readonly name: 'duckdb' | 'athena';
  /** How this engine spells the SQL that queries.ts writes. */
  readonly dialect: SqlDialect;
  /** Runs one read; rejects with QueryCancelledError if signal aborts (the engine cancels server-side). */
  run(q: CompiledQuery, options?: { signal?: AbortSignal }): Promise<QueryResult>;
  /** Streams rows of a large read (exports) in constant memory. */
  stream(q: CompiledQuery, options?: { signal?: AbortSignal }): AsyncIterable<Record<string, unknown>>;
  /**
   * Optional bulk path for exports: the engine's own CSV writer runs `q` (every column already
   * text as the export wants it) into a file: RFC 4180, CRLF, no header, NULL as an empty cell.
   */
  writeCsv?(q: CompiledQuery, options?: { signal?: AbortSignal }): Promise<CsvPart>;
  /** Releases connections and native resources. */
  close(): Promise<void>;
}
