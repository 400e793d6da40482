import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { DuckDbAthenaBackend } from './athena-server-duckdb';
import { type Execution, Executions, type ExecutionTimings } from './athena-server-executions';
import { resultPage } from './athena-server-results';
import type { TimestampPrecision } from './athena-server-sql';

/*
 * Athena-protocol HTTP server for integration tests: AWS JSON 1.1 (`X-Amz-Target: AmazonAthena.*`)
 * for StartQueryExecution, GetQueryExecution, GetQueryResults and StopQueryExecution, backed by
 * embedded DuckDB over a local store folder, so the real @aws-sdk/client-athena runs against it.
 * Result CSVs go to an S3 server when `resultS3` is given; otherwise this server keeps them and
 * answers path-style S3 GetObject (`GET /<bucket>/<key>`) itself. Signatures are not checked.
 */

export interface AthenaServerOptions {
  /** Store root: the Glue tables read `<storeDir>/activity/class=…/dt=…/*.parquet`. */
  storeDir: string;
  /** Glue tables to expose (default dasboard.activity). */
  tables?: { database: string; table: string }[];
  /** The workgroup's result location, used when a request has no ResultConfiguration. */
  outputLocation?: string;
  /** Write result CSVs with this client (e.g. to the S3 test server) instead of keeping them here. */
  resultS3?: S3Client;
  queuedMs?: number;
  runningMs?: number;
  /**
   * Fractional digits of the table's timestamp columns. Default 6 (the files' µs, rendered
   * 'YYYY-MM-DD HH:MM:SS.ffffff'); 3 reproduces real Athena, whose Hive tables keep milliseconds.
   */
  timestampPrecision?: TimestampPrecision;
}

export interface AthenaTestServer {
  endpoint: string;
  /** Every API request received, in order, with its parsed JSON body. */
  requests: { target: string; input: unknown }[];
  /** Time each query spends QUEUED and (at least) RUNNING; change it between tests. */
  timings: ExecutionTimings;
  execution(id: string): Execution | undefined;
  executions(): Execution[];
  close(): Promise<void>;
}

class AthenaFault extends Error {
  constructor(
    readonly type: 'InvalidRequestException' | 'UnknownOperationException',
    message: string,
  ) {
    super(message);
    this.name = 'AthenaFault';
  }
}

const startInput = z.object({
  QueryString: z.string().min(1).max(262_144),
  ClientRequestToken: z.string().optional(),
  QueryExecutionContext: z
    .object({ Database: z.string().optional(), Catalog: z.string().optional() })
    .optional(),
  ResultConfiguration: z.object({ OutputLocation: z.string().startsWith('s3://').optional() }).optional(),
  WorkGroup: z.string().optional(),
  ExecutionParameters: z.array(z.string().min(1).max(1024)).min(1).optional(),
  ResultReuseConfiguration: z
    .object({
      ResultReuseByAgeConfiguration: z.object({
        Enabled: z.boolean(),
        MaxAgeInMinutes: z.number().int().min(0).max(10_080).optional(),
      }),
    })
    .optional(),
});
const idInput = z.object({ QueryExecutionId: z.string().min(1) });
const resultsInput = idInput.extend({
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(1).max(1000).optional(),
});

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AthenaFault('InvalidRequestException', 'request parameters are invalid');
  return parsed.data;
}

const seconds = (ms: number | null): number | undefined => (ms === null ? undefined : ms / 1000);

function describeExecution(e: Execution): Record<string, unknown> {
  const ran = e.startedAt !== null && e.finishedAt !== null ? e.finishedAt - e.startedAt : 0;
  return {
    QueryExecutionId: e.id,
    Query: e.query,
    StatementType: 'DML',
    ResultConfiguration: { OutputLocation: e.resultLocation },
    QueryExecutionContext: { Database: e.database, Catalog: 'awsdatacatalog' },
    ExecutionParameters: e.params.length > 0 ? e.params : undefined,
    WorkGroup: e.workGroup,
    Status: {
      State: e.state,
      StateChangeReason: e.failure ?? undefined,
      SubmissionDateTime: seconds(e.submittedAt),
      CompletionDateTime: seconds(e.finishedAt),
      AthenaError: e.failure
        ? { ErrorCategory: 2, ErrorType: 1000, Retryable: false, ErrorMessage: e.failure }
        : undefined,
    },
    Statistics: {
      EngineExecutionTimeInMillis: e.reused ? 0 : ran,
      DataScannedInBytes: e.reused ? 0 : (e.outcome?.bytesScanned ?? 0),
      TotalExecutionTimeInMillis: e.finishedAt === null ? undefined : e.finishedAt - e.submittedAt,
      QueryQueueTimeInMillis: (e.startedAt ?? e.submittedAt) - e.submittedAt,
      ResultReuseInformation: { ReusedPreviousResult: e.reused },
    },
    EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
  };
}

function handle(executions: Executions, defaults: Required<Pick<AthenaServerOptions, 'outputLocation'>>) {
  const find = (id: string): Execution => {
    const found = executions.get(id);
    if (!found) throw new AthenaFault('InvalidRequestException', `QueryExecution ${id} was not found`);
    return found;
  };
  return (target: string, body: unknown): Record<string, unknown> => {
    switch (target) {
      case 'AmazonAthena.StartQueryExecution': {
        const input = parse(startInput, body);
        const reuse = input.ResultReuseConfiguration?.ResultReuseByAgeConfiguration;
        const execution = executions.start({
          query: input.QueryString,
          params: input.ExecutionParameters ?? [],
          database: input.QueryExecutionContext?.Database ?? 'default',
          workGroup: input.WorkGroup ?? 'primary',
          outputLocation: input.ResultConfiguration?.OutputLocation ?? defaults.outputLocation,
          reuseMaxAgeMinutes: reuse?.Enabled ? (reuse.MaxAgeInMinutes ?? 60) : null,
          clientRequestToken: input.ClientRequestToken,
        });
        return { QueryExecutionId: execution.id };
      }
      case 'AmazonAthena.GetQueryExecution': {
        const execution = find(parse(idInput, body).QueryExecutionId);
        execution.observedStates.push(execution.state);
        return { QueryExecution: describeExecution(execution) };
      }
      case 'AmazonAthena.GetQueryResults': {
        const input = parse(resultsInput, body);
        const execution = find(input.QueryExecutionId);
        if (execution.state !== 'SUCCEEDED' || !execution.outcome) {
          throw new AthenaFault(
            'InvalidRequestException',
            `Query has not yet finished. Current state: ${execution.state}`,
          );
        }
        const offset = input.NextToken === undefined ? 0 : decodeToken(input.NextToken, execution.id);
        const page = resultPage(execution.outcome, offset, input.MaxResults ?? 1000);
        return {
          UpdateCount: 0,
          ResultSet: { Rows: page.rows, ResultSetMetadata: { ColumnInfo: execution.outcome.columns } },
          NextToken: page.nextOffset === null ? undefined : encodeToken(execution.id, page.nextOffset),
        };
      }
      case 'AmazonAthena.StopQueryExecution':
        executions.stop(find(parse(idInput, body).QueryExecutionId).id);
        return {};
      default:
        throw new AthenaFault('UnknownOperationException', 'unknown operation');
    }
  };
}

const encodeToken = (id: string, offset: number): string =>
  Buffer.from(`${id}:${offset}`).toString('base64url');

function decodeToken(token: string, id: string): number {
  const [tokenId, offset] = Buffer.from(token, 'base64url').toString('utf8').split(':');
  const n = Number(offset);
  if (tokenId !== id || !Number.isSafeInteger(n) || n < 1) {
    throw new AthenaFault('InvalidRequestException', 'The NextToken is not valid for this query');
  }
  return n;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, errorType?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  res.writeHead(status, headers).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

// s3://bucket/key → "bucket/key", the path of a path-style GetObject.
const objectPath = (location: string): string => location.replace(/^s3:\/\//, '');

export async function startAthenaServer(options: AthenaServerOptions): Promise<AthenaTestServer> {
  const tables = options.tables ?? [{ database: 'dasboard', table: 'activity' }];
  const backend = await DuckDbAthenaBackend.create(options.storeDir, tables, options.timestampPrecision);
  const objects = new Map<string, Buffer>();
  const putResult = async (location: string, csv: string): Promise<void> => {
    const [bucket = '', ...key] = objectPath(location).split('/');
    if (!options.resultS3) return void objects.set(objectPath(location), Buffer.from(csv));
    await options.resultS3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key.join('/'), Body: csv, ContentType: 'text/csv' }),
    );
  };
  const timings = { queuedMs: options.queuedMs ?? 0, runningMs: options.runningMs ?? 0 };
  const executions = new Executions(backend, timings, putResult);
  const api = handle(executions, {
    outputLocation: options.outputLocation ?? 's3://athena-results/dasboard/',
  });
  const requests: AthenaTestServer['requests'] = [];

  const answerObject = (req: IncomingMessage, res: ServerResponse): void => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    const body = objects.get(path);
    if (!body) {
      const xml = '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>no such key</Message></Error>';
      res.writeHead(404, { 'content-type': 'application/xml' }).end(xml);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(body.length), etag: '"0"' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'GET' || req.method === 'HEAD') return answerObject(req, res);
    const header = req.headers['x-amz-target'];
    const target = typeof header === 'string' ? header : '';
    try {
      const text = await readBody(req);
      const input: unknown = text === '' ? {} : JSON.parse(text);
      requests.push({ target, input });
      send(res, 200, api(target, input));
    } catch (error) {
      const fault =
        error instanceof AthenaFault ? error : new AthenaFault('InvalidRequestException', 'bad request');
      send(res, 400, { __type: fault.type, Message: fault.message }, fault.type);
    }
  };

  const server = createServer((req, res) => void answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    requests,
    timings,
    execution: (id) => executions.get(id),
    executions: () => executions.all(),
    close: async () => {
      await executions.settle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backend.close();
    },
  };
}
