import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syntheticEvent, writeActivityStore } from '../../test/servers/athena-fixture-store';
import { type AthenaTestServer, startAthenaServer } from '../../test/servers/athena-server';
import { type S3TestServer, startS3Server } from '../../test/servers/s3-server';
import { QueryCancelledError, QueryFailedError, QueryTimeoutError, ValidationError } from '../http/errors';
import { AthenaEngine, type AthenaEngineOptions, AthenaExecutionError } from './athena';
import type { CompiledQuery, QueryParam } from './engine';

const EVENTS = 2500; // a minute apart from 2025-11-25T10:00Z: three days, all ten classes
const TABLE = '"dasboard"."activity"';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

let storeDir: string;
let athena: AthenaTestServer;

const query = (text: string, params: QueryParam[] = []): CompiledQuery => ({ text, params, label: 'test' });

function engine(overrides: Partial<AthenaEngineOptions> = {}): AthenaEngine {
  return new AthenaEngine({
    client: new AthenaClient({ endpoint: athena.endpoint, region: 'us-east-1', credentials: CREDENTIALS }),
    database: 'dasboard',
    table: 'activity',
    workgroup: 'dasboard',
    outputLocation: 's3://athena-results/dasboard/',
    pollInitialMs: 10,
    pollMaxMs: 40,
    ...overrides,
  });
}

const targets = (name: string): unknown[] =>
  athena.requests.filter((r) => r.target === `AmazonAthena.${name}`).map((r) => r.input);

beforeAll(async () => {
  storeDir = await mkdtemp(join(tmpdir(), 'athena-engine-'));
  await writeActivityStore(
    storeDir,
    Array.from({ length: EVENTS }, (_, i) => syntheticEvent(i)),
  );
  athena = await startAthenaServer({ storeDir });
});

afterAll(async () => {
  await athena?.close();
  await rm(storeDir, { recursive: true, force: true });
});

beforeEach(() => {
  athena.requests.length = 0;
  athena.timings.queuedMs = 0;
  athena.timings.runningMs = 0;
});

describe('AthenaEngine.run', () => {
  it('starts the query with rendered parameters, polls through RUNNING and returns typed-as-text rows', async () => {
    // Prepare
    athena.timings.queuedMs = 30;
    athena.timings.runningMs = 120;
    const q = query(
      `SELECT db_user, count(*) AS n, min(event_time) AS first, bool_or(failed) AS failed, max(end_time) AS last_end
       FROM ${TABLE} WHERE dt = ? AND db_user IN (?, ?) AND event_time >= ? GROUP BY db_user ORDER BY db_user`,
      ['2025-11-25', "o'brien", 'alice', new Date(Date.UTC(2025, 10, 25, 12))],
    );
    // Act
    const result = await engine().run(q);
    // Assess
    expect(result.rows).toEqual([
      {
        db_user: 'alice',
        n: '180',
        first: '2025-11-25 12:00:00.123456',
        failed: 'true',
        last_end: expect.any(String),
      },
      {
        db_user: "o'brien",
        n: '180',
        first: '2025-11-25 12:03:00.123456',
        failed: 'true',
        last_end: expect.any(String),
      },
    ]);
    expect(targets('StartQueryExecution')).toEqual([
      expect.objectContaining({
        QueryString: q.text,
        ExecutionParameters: [
          "'2025-11-25'",
          "'o''brien'",
          "'alice'",
          "TIMESTAMP '2025-11-25 12:00:00.000000'",
        ],
        WorkGroup: 'dasboard',
        QueryExecutionContext: { Database: 'dasboard' },
        ResultConfiguration: { OutputLocation: 's3://athena-results/dasboard/' },
      }),
    ]);
    const [execution] = athena.executions().slice(-1);
    expect(execution?.observedStates).toContain('RUNNING');
    expect(execution?.observedStates.at(-1)).toBe('SUCCEEDED');
    expect(result.engineMs).toBeGreaterThanOrEqual(100);
  });

  it('pages past 1,000 rows with NextToken and skips the header row on the first page only', async () => {
    // Prepare: row 999 opens page two and holds the column name itself.
    const q = query(
      "SELECT CASE WHEN i = 999 THEN 'v' ELSE CAST(i AS VARCHAR) END AS v FROM range(2500) t(i) ORDER BY i",
    );
    // Act
    const result = await engine().run(q);
    // Assess
    expect(result.rows).toHaveLength(2500);
    expect(result.rows[0]).toEqual({ v: '0' });
    expect(result.rows[999]).toEqual({ v: 'v' });
    expect(result.rows[2499]).toEqual({ v: '2499' });
    const pages = targets('GetQueryResults');
    expect(pages).toHaveLength(3);
    expect(
      pages.map((p) => (typeof p === 'object' && p !== null && 'NextToken' in p ? 'token' : 'first')),
    ).toEqual(['first', 'token', 'token']);
    expect(pages[0]).toMatchObject({ MaxResults: 1000 });
  });

  it('reports the bytes scanned, fewer when partitions are pruned', async () => {
    // Act
    const all = await engine().run(query(`SELECT count(*) AS n FROM ${TABLE}`));
    const oneDay = await engine().run(
      query(`SELECT count(*) AS n FROM ${TABLE} WHERE class = ? AND dt = ?`, ['DDL', '2025-11-26']),
    );
    // Assess
    expect(all.rows).toEqual([{ n: String(EVENTS) }]);
    expect(all.bytesScanned).toBeGreaterThan(0);
    expect(oneDay.bytesScanned).toBeGreaterThan(0);
    expect(oneDay.bytesScanned).toBeLessThan((all.bytesScanned ?? 0) / 10);
  });

  it('maps FAILED to QueryFailedError without the engine text, keeping the reason as the cause', async () => {
    // Act
    const error = await engine()
      .run(query(`SELECT no_such_column FROM ${TABLE} WHERE db_user = ?`, ['secret-user']))
      .catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(error).toMatchObject({ message: 'The query failed', status: 500 });
    const message = error instanceof Error ? error.message : '';
    expect(message).not.toMatch(/no_such_column|secret-user|activity|COLUMN_NOT_FOUND/);
    expect(error instanceof Error && error.cause).toBeInstanceOf(AthenaExecutionError);
    expect(error instanceof Error && error.cause instanceof Error && error.cause.message).toMatch(
      /COLUMN_NOT_FOUND/,
    );
  });

  it('stops the query on abort and rejects with QueryCancelledError', async () => {
    // Prepare
    athena.timings.runningMs = 10_000;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    // Act
    const error = await engine()
      .run(query(`SELECT count(*) FROM ${TABLE}`), { signal: controller.signal })
      .catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(QueryCancelledError);
    const [stop] = targets('StopQueryExecution');
    const [execution] = athena.executions().slice(-1);
    expect(stop).toEqual({ QueryExecutionId: execution?.id });
    expect(execution?.state).toBe('CANCELLED');
  });

  it('stops the query and rejects with QueryTimeoutError past the timeout', async () => {
    // Prepare
    athena.timings.runningMs = 10_000;
    // Act
    const error = await engine({ timeoutMs: 150 })
      .run(query('SELECT 1 AS one'))
      .catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect(targets('StopQueryExecution')).toHaveLength(1);
    expect(athena.executions().at(-1)?.state).toBe('CANCELLED');
  });

  it('reuses a recent result of the same query and parameters when asked to', async () => {
    // Prepare
    const reusing = engine({ resultReuseMinutes: 10 });
    const q = query(`SELECT count(*) AS n FROM ${TABLE} WHERE class = ?`, ['DCL']);
    // Act
    const first = await reusing.run(q);
    const second = await reusing.run(q);
    const other = await reusing.run(query(q.text, ['TCL']));
    // Assess
    expect(second.rows).toEqual(first.rows);
    expect(
      athena
        .executions()
        .slice(-3)
        .map((e) => e.reused),
    ).toEqual([false, true, false]);
    expect(second.bytesScanned).toBe(0);
    expect(other.bytesScanned).toBeGreaterThan(0);
    expect(targets('StartQueryExecution')[0]).toMatchObject({
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 10 } },
    });
  });

  it('sends hostile strings as data, never as SQL', async () => {
    // Prepare
    const hostile = ["o'brien", "x' OR '1'='1", "'; DROP TABLE activity; --", 'back\\slash', 'new\nline'];
    // Act
    const counts = [];
    for (const value of hostile) {
      const result = await engine().run(
        query(`SELECT count(*) AS n FROM ${TABLE} WHERE db_user = ?`, [value]),
      );
      counts.push(result.rows[0]?.n);
    }
    // Assess
    expect(counts).toEqual([String(EVENTS / 4), '0', '0', '0', '0']);
  });

  it('refuses an unsendable parameter before starting anything', async () => {
    // Act
    const error = await engine()
      .run(query(`SELECT 1 FROM ${TABLE} WHERE command_text LIKE ?`, ['x'.repeat(2000)]))
      .catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(targets('StartQueryExecution')).toHaveLength(0);
  });

  it('finds the endpoint through AWS_ENDPOINT_URL_ATHENA with the default client', async () => {
    // Prepare
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_ATHENA: athena.endpoint,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    const plain = new AthenaEngine({
      database: 'dasboard',
      table: 'activity',
      workgroup: 'primary',
      pollInitialMs: 10,
    });
    try {
      // Act
      const result = await plain.run(query('SELECT 42 AS answer'));
      // Assess
      expect(result.rows).toEqual([{ answer: '42' }]);
    } finally {
      await plain.close();
      process.env = saved;
    }
  });
});

// Here Athena writes its result CSVs to the S3 test server and the engine reads them back from it.
describe('AthenaEngine.stream', () => {
  let s3: S3TestServer;
  let streaming: AthenaTestServer;
  const streamEngine = (): AthenaEngine =>
    engine({
      client: new AthenaClient({
        endpoint: streaming.endpoint,
        region: 'us-east-1',
        credentials: CREDENTIALS,
      }),
      s3Client: s3.client(),
      outputLocation: `s3://${s3.bucket}/athena-results/`,
    });
  const streamTargets = (name: string): unknown[] =>
    streaming.requests.filter((r) => r.target === `AmazonAthena.${name}`);

  beforeAll(async () => {
    s3 = await startS3Server();
    streaming = await startAthenaServer({ storeDir, resultS3: s3.client() });
  });

  afterAll(async () => {
    await streaming?.close();
    await s3?.close();
  });

  it('streams a large result from the S3 result object, NULL and empty string kept apart', async () => {
    // Prepare
    const q = query(
      `SELECT event_id, command_text, param_list, row_count, event_time FROM ${TABLE} WHERE dt >= ? ORDER BY event_id`,
      ['2025-11-25'],
    );
    const reference = await engine().run(q);
    // Act
    const streamed = [];
    for await (const row of streamEngine().stream(q)) streamed.push(row);
    // Assess
    expect(streamed).toHaveLength(EVENTS);
    expect(streamed).toEqual(reference.rows);
    expect(streamed[0]).toMatchObject({ event_id: 'evt-000000', command_text: null, param_list: '' });
    expect(streamed[1]).toMatchObject({
      command_text: "SELECT '1', \"x, y\" FROM t -- ünï\nWHERE a = ''",
      param_list: null,
    });
    expect(streamTargets('GetQueryResults')).toHaveLength(0);
    expect(s3.requests.some((r) => r.method === 'GET' && r.path.includes('/athena-results/'))).toBe(true);
  });

  it('stops reading when the consumer leaves early', async () => {
    // Act
    const seen = [];
    for await (const row of streamEngine().stream(query(`SELECT event_id FROM ${TABLE} ORDER BY event_id`))) {
      seen.push(row);
      if (seen.length === 3) break;
    }
    // Assess
    expect(seen).toEqual([
      { event_id: 'evt-000000' },
      { event_id: 'evt-000001' },
      { event_id: 'evt-000002' },
    ]);
  });
});
