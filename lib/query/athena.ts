import 'server-only';
import { Readable } from 'node:stream';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { QueryCancelledError, QueryFailedError, QueryTimeoutError, ValidationError } from '../http/errors';
import { type AthenaRow, parseS3Uri, readAthenaCsv } from './athena-csv';
import { AthenaParameterError, toAthenaLiteral } from './athena-literal';
import { athenaDialect, type SqlDialect } from './dialect';
import type { CompiledQuery, QueryEngine, QueryResult } from './engine';

export interface AthenaEngineOptions {
  /** Defaults to `new AthenaClient({})`: region, credentials and AWS_ENDPOINT_URL_ATHENA as the SDK resolves them. */
  client?: AthenaClient;
  /** Reads result objects for `stream()`; defaults to `new S3Client({})`. */
  s3Client?: S3Client;
  database: string;
  table: string;
  workgroup: string;
  /** `s3://…/` for result objects; omit to use the workgroup's own setting. */
  outputLocation?: string;
  /** First poll delay; each next one is 1.5× longer, up to pollMaxMs. */
  pollInitialMs?: number;
  pollMaxMs?: number;
  /** Reuse a result of the same query and parameters up to this age; off when omitted or 0. */
  resultReuseMinutes?: number;
  /** Stop the query and fail with QueryTimeoutError after this long (default 5 minutes). */
  timeoutMs?: number;
}

/** Why Athena failed a query: kept as the `cause` of QueryFailedError, never shown to users. */
export class AthenaExecutionError extends Error {
  constructor(
    reason: string,
    readonly errorType: number | undefined,
  ) {
    super(reason);
    this.name = 'AthenaExecutionError';
  }
}

const PAGE_SIZE = 1000;
const BACKOFF = 1.5;

/** Athena: start → poll with backoff → page GetQueryResults (or read the result CSV for streams). */
export class AthenaEngine implements QueryEngine {
  readonly name = 'athena';
  readonly dialect: SqlDialect;
  private readonly client: AthenaClient;
  private readonly s3: S3Client;
  private readonly options: AthenaEngineOptions;

  constructor(options: AthenaEngineOptions) {
    this.options = options;
    this.client = options.client ?? new AthenaClient({});
    this.s3 = options.s3Client ?? new S3Client({});
    this.dialect = athenaDialect({ database: options.database, table: options.table });
  }

  async run(q: CompiledQuery, options?: { signal?: AbortSignal }): Promise<QueryResult> {
    const began = performance.now();
    const execution = await this.execute(q, options?.signal);
    const rows: AthenaRow[] = [];
    for await (const page of this.pages(execution, options?.signal)) rows.push(...page);
    return {
      rows,
      bytesScanned: execution.Statistics?.DataScannedInBytes ?? null,
      engineMs: execution.Statistics?.EngineExecutionTimeInMillis ?? Math.round(performance.now() - began),
    };
  }

  async *stream(
    q: CompiledQuery,
    options?: { signal?: AbortSignal },
  ): AsyncGenerator<Record<string, unknown>> {
    const signal = options?.signal;
    const execution = await this.execute(q, signal);
    const location = parseS3Uri(execution.ResultConfiguration?.OutputLocation ?? '');
    if (!location) {
      // No result object to read (e.g. a managed-results workgroup): page through the API instead.
      for await (const page of this.pages(execution, signal)) yield* page;
      return;
    }
    const body = await this.call(
      () =>
        this.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }), {
          abortSignal: signal,
        }),
      signal,
    ).then((object) => object.Body);
    if (!(body instanceof Readable))
      throw new QueryFailedError(undefined, { cause: new Error('no result body') });
    try {
      yield* readAthenaCsv(body, signal);
    } catch (error) {
      throw signal?.aborted ? new QueryCancelledError(undefined, { cause: error }) : toQueryError(error);
    }
  }

  async close(): Promise<void> {
    if (!this.options.client) this.client.destroy();
    if (!this.options.s3Client) this.s3.destroy();
  }

  /** Starts the query and polls until it succeeds; every other ending throws an AppError. */
  private async execute(q: CompiledQuery, signal: AbortSignal | undefined): Promise<QueryExecution> {
    if (signal?.aborted) throw new QueryCancelledError();
    // No abortSignal on the start itself: an aborted request could still start a query we would
    // never learn the id of, so we let it return and stop it by id instead.
    const started = await this.call(() =>
      this.client.send(new StartQueryExecutionCommand(this.startInput(q))),
    );
    const id = started.QueryExecutionId;
    if (!id)
      throw new QueryFailedError(undefined, { cause: new Error('StartQueryExecution returned no id') });
    return this.poll(id, signal);
  }

  private startInput(q: CompiledQuery): StartQueryExecutionCommandInput {
    const { workgroup, database, outputLocation, resultReuseMinutes = 0 } = this.options;
    return {
      QueryString: q.text,
      ExecutionParameters: q.params.length > 0 ? renderParameters(q) : undefined,
      WorkGroup: workgroup,
      QueryExecutionContext: { Database: database },
      ResultConfiguration: outputLocation ? { OutputLocation: outputLocation } : undefined,
      ResultReuseConfiguration:
        resultReuseMinutes > 0
          ? { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: resultReuseMinutes } }
          : undefined,
    };
  }

  private async poll(id: string, signal: AbortSignal | undefined): Promise<QueryExecution> {
    const deadline = Date.now() + (this.options.timeoutMs ?? 300_000);
    let delay = this.options.pollInitialMs ?? 50;
    for (;;) {
      if (!(await sleep(delay, signal))) {
        await this.stop(id);
        throw new QueryCancelledError();
      }
      if (Date.now() > deadline) {
        await this.stop(id);
        throw new QueryTimeoutError();
      }
      delay = Math.min(delay * BACKOFF, this.options.pollMaxMs ?? 1000);
      const { QueryExecution: execution } = await this.call(
        () => this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
        signal,
        id,
      );
      const status = execution?.Status;
      switch (status?.State) {
        case 'SUCCEEDED':
          if (execution) return execution;
          break;
        case 'FAILED': {
          const cause = new AthenaExecutionError(
            status.StateChangeReason ?? '',
            status.AthenaError?.ErrorType,
          );
          throw new QueryFailedError(undefined, { cause });
        }
        case 'CANCELLED':
          throw new QueryCancelledError();
      }
    }
  }

  /** GetQueryResults pages as row objects keyed by column name; cells are Athena's text or null. */
  private async *pages(
    execution: QueryExecution,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<AthenaRow[]> {
    const id = execution.QueryExecutionId ?? '';
    let nextToken: string | undefined;
    let columns: string[] = [];
    let first = true;
    do {
      const page = await this.call(
        () =>
          this.client.send(
            new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: PAGE_SIZE, NextToken: nextToken }),
            { abortSignal: signal },
          ),
        signal,
        id,
      );
      const rows = page.ResultSet?.Rows ?? [];
      if (first) columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
      // The first row of the first page is the header (column names), and only there: skipping by
      // position, not by content, keeps a data row that happens to equal the header.
      yield rows.slice(first ? 1 : 0).map((row) => toRow(columns, row.Data ?? []));
      first = false;
      nextToken = page.NextToken;
    } while (nextToken);
  }

  /** One SDK call with errors mapped: abort → stop the query (if any) → QueryCancelledError. */
  private async call<T>(send: () => Promise<T>, signal?: AbortSignal, id?: string): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (signal?.aborted) {
        if (id) await this.stop(id);
        throw new QueryCancelledError(undefined, { cause: error });
      }
      throw toQueryError(error);
    }
  }

  // Best effort: the caller is already failing, a stop that fails must not mask that.
  private async stop(id: string): Promise<void> {
    await this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
  }
}

function renderParameters(q: CompiledQuery): string[] {
  try {
    return q.params.map(toAthenaLiteral);
  } catch (error) {
    if (error instanceof AthenaParameterError) {
      throw new ValidationError('A search value is too long or contains unsupported characters', {
        cause: error,
      });
    }
    throw error;
  }
}

function toQueryError(error: unknown): Error {
  if (error instanceof QueryFailedError || error instanceof QueryCancelledError) return error;
  if (error instanceof QueryTimeoutError || error instanceof ValidationError) return error;
  return new QueryFailedError(undefined, { cause: error });
}

function toRow(columns: readonly string[], data: readonly { VarCharValue?: string }[]): AthenaRow {
  const row: AthenaRow = {};
  columns.forEach((name, i) => {
    row[name] = data[i]?.VarCharValue ?? null;
  });
  return row;
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
