import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { z } from 'zod';
import { STORE_PREFIX } from '../../lib/audit/schema';
import { athenaColumns, type RenderedResult, renderValue } from './athena-server-results';
import { activityViewSql, quoteString, type TimestampPrecision } from './athena-server-sql';

/*
 * The query engine behind the Athena-protocol test server: embedded DuckDB over the local store,
 * one connection per query (so StopQueryExecution can interrupt just that one).
 */

// Trino functions the Athena dialect uses that DuckDB spells differently (macros in schema main),
// and Glue's `default` database, which always exists.
const TRINO_MACROS = [
  'CREATE SCHEMA "default";',
  'CREATE MACRO approx_distinct(x) AS approx_count_distinct(x);',
  'CREATE MACRO regexp_like(s, pattern) AS regexp_matches(s, pattern);',
  'CREATE MACRO json_extract_scalar(j, path) AS json_extract_string(j, path);',
  "CREATE MACRO date_add(unit, n, ts) AS ts + CAST(n AS BIGINT) * CAST('1 ' || unit AS INTERVAL);",
].join('\n');

export interface QueryOutcome extends RenderedResult {
  /** Sum of the sizes of the Parquet files the query opened (see `scannedBytes`). */
  bytesScanned: number;
}

/** A query failure with Athena's error classification; the message is Athena-style text. */
export class AthenaQueryError extends Error {
  constructor(
    readonly errorType:
      | 'SYNTAX_ERROR'
      | 'SCHEMA_NOT_FOUND'
      | 'TABLE_NOT_FOUND'
      | 'COLUMN_NOT_FOUND'
      | 'GENERIC_INTERNAL_ERROR',
    message: string,
  ) {
    super(`${errorType}: ${message}`);
    this.name = 'AthenaQueryError';
  }
}

export interface RunningQuery {
  done: Promise<QueryOutcome>;
  cancel(): void;
}

export class DuckDbAthenaBackend {
  private viewHasFiles: boolean | null = null;
  private setup: Promise<void> = Promise.resolve();
  private sequence = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly storeDir: string,
    private readonly tables: readonly { database: string; table: string }[],
    private readonly profileDir: string,
    private readonly precision: TimestampPrecision,
  ) {}

  static async create(
    storeDir: string,
    tables: { database: string; table: string }[],
    precision: TimestampPrecision = 6,
  ): Promise<DuckDbAthenaBackend> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(TRINO_MACROS);
    } finally {
      connection.closeSync();
    }
    const profileDir = await mkdtemp(join(tmpdir(), 'athena-server-'));
    return new DuckDbAthenaBackend(instance, resolve(storeDir), tables, profileDir, precision);
  }

  /** Starts one statement; `database` plays QueryExecutionContext.Database for unqualified names. */
  start(sql: string, database: string): RunningQuery {
    let connection: DuckDBConnection | null = null;
    let cancelled = false;
    const done = (async () => {
      await this.refreshViews();
      connection = await this.instance.connect();
      await connection.run("SET TimeZone = 'UTC'");
      if (cancelled) throw new AthenaQueryError('GENERIC_INTERNAL_ERROR', 'Query was cancelled');
      try {
        return await this.execute(connection, sql, database);
      } finally {
        connection.closeSync();
      }
    })();
    return {
      done,
      cancel: () => {
        cancelled = true;
        connection?.interrupt();
      },
    };
  }

  async close(): Promise<void> {
    await this.setup.catch(() => undefined);
    this.instance.closeSync();
    await rm(this.profileDir, { recursive: true, force: true });
  }

  private async execute(connection: DuckDBConnection, sql: string, database: string): Promise<QueryOutcome> {
    this.sequence += 1;
    const profile = join(this.profileDir, `${this.sequence}.json`);
    try {
      await connection.run(`SET schema = ${quoteString(database)}`);
    } catch {
      throw new AthenaQueryError('SCHEMA_NOT_FOUND', `Schema '${database}' does not exist`);
    }
    const statements = await connection.extractStatements(sql).catch((error: unknown) => {
      throw toAthenaError(error);
    });
    if (statements.count !== 1)
      throw new AthenaQueryError('SYNTAX_ERROR', 'Only one sql statement is allowed.');
    await connection.run("SET enable_profiling = 'json'");
    await connection.run(`SET profiling_output = '${profile}'`);
    await connection.run(`SET custom_profiling_settings = '{"EXTRA_INFO": "true"}'`);
    const reader = await connection.runAndReadAll(sql).catch((error: unknown) => {
      throw toAthenaError(error);
    });
    const types = reader.columnTypes();
    const rows = reader.getRows().map((row) => row.map((value, i) => renderValue(value, types[i])));
    return {
      columns: athenaColumns(reader.columnNames(), types),
      rows,
      bytesScanned: await scannedBytes(
        profile,
        await parquetFiles(join(this.storeDir, STORE_PREFIX.activity)),
      ),
    };
  }

  // Re-points the table views when the store goes from empty to non-empty (read_parquet needs a file).
  private refreshViews(): Promise<void> {
    this.setup = this.setup
      .catch(() => undefined)
      .then(async () => {
        const hasFiles = (await parquetFiles(join(this.storeDir, STORE_PREFIX.activity))).length > 0;
        if (hasFiles === this.viewHasFiles) return;
        const connection = await this.instance.connect();
        try {
          for (const { database, table } of this.tables) {
            await connection.run(activityViewSql(database, table, this.storeDir, hasFiles, this.precision));
          }
          this.viewHasFiles = hasFiles;
        } finally {
          connection.closeSync();
        }
      });
    return this.setup;
  }
}

function toAthenaError(error: unknown): AthenaQueryError {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('Parser Error')) return new AthenaQueryError('SYNTAX_ERROR', message);
  if (message.startsWith('Catalog Error')) return new AthenaQueryError('TABLE_NOT_FOUND', message);
  if (message.startsWith('Binder Error')) return new AthenaQueryError('COLUMN_NOT_FOUND', message);
  return new AthenaQueryError('GENERIC_INTERNAL_ERROR', message);
}

async function parquetFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => []);
  return entries.filter((name) => name.endsWith('.parquet')).map((name) => join(dir, name));
}

const profileNode: z.ZodType<ProfileNode> = z.lazy(() =>
  z.object({
    extra_info: z.record(z.string(), z.unknown()).optional(),
    children: z.array(profileNode).default([]),
  }),
);
interface ProfileNode {
  extra_info?: Record<string, unknown> | undefined;
  children: ProfileNode[];
}

/**
 * DataScannedInBytes, approximated as the total size of the Parquet files the query opened (the
 * partitions it touched after pruning), from the `Filename(s)` and `Total Files Read` DuckDB's
 * profiler records for each READ_PARQUET. DuckDB abbreviates long lists (`<glob>, ...`): the files
 * it does not name count at the store's average file size. Athena counts only the column chunks it
 * reads, so it reports less for the same query.
 */
async function scannedBytes(profilePath: string, storeFiles: readonly string[]): Promise<number> {
  const text = await readFile(profilePath, 'utf8').catch(() => '{}');
  const named = new Set<string>();
  let unnamed = 0;
  const visit = (node: ProfileNode): void => {
    const names = String(node.extra_info?.['Filename(s)'] ?? '')
      .split(', ')
      .filter((name) => name.endsWith('.parquet') && !name.includes('*'));
    for (const name of names) named.add(name);
    unnamed += Math.max(0, Number(node.extra_info?.['Total Files Read'] ?? 0) - names.length);
    node.children.forEach(visit);
  };
  visit(profileNode.parse(JSON.parse(text)));
  const sizes = new Map<string, number>();
  for (const file of storeFiles)
    sizes.set(
      file,
      await stat(file).then(
        (s) => s.size,
        () => 0,
      ),
    );
  const average = sizes.size === 0 ? 0 : [...sizes.values()].reduce((a, b) => a + b, 0) / sizes.size;
  let total = Math.round(unnamed * average);
  for (const file of named) total += sizes.get(file) ?? 0;
  return total;
}
