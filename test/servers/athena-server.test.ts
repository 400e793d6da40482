import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DOUBLE,
  DuckDBTimestampValue,
  TIMESTAMP,
  TIMESTAMP_MS,
  timestampMillisValue,
} from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { syntheticEvent, writeActivityStore } from './athena-fixture-store';
import { type AthenaTestServer, startAthenaServer } from './athena-server';
import { formatMicros, renderValue, resultCsv, resultPage } from './athena-server-results';
import { ParameterCountError, substituteParameters } from './athena-server-sql';

describe('substituteParameters', () => {
  it('replaces placeholders in order, outside strings, quoted names and comments', () => {
    // Act
    const text = substituteParameters(
      `SELECT '?', "a?b", x -- why?\n FROM t /* ? */ WHERE a = ? AND b -? AND c = 'it''s ?'`,
      ["'v'", '-1'],
    );
    // Assess
    expect(text).toBe(
      `SELECT '?', "a?b", x -- why?\n FROM t /* ? */ WHERE a =  'v'  AND b - -1  AND c = 'it''s ?'`,
    );
  });

  it('fails on a parameter count that does not match the placeholders', () => {
    // Act / Assess
    expect(() => substituteParameters('SELECT ?', [])).toThrow(ParameterCountError);
    expect(() => substituteParameters('SELECT 1', ['1'])).toThrow(ParameterCountError);
  });
});

describe('result rendering', () => {
  it('prints timestamps, doubles and NULL as Athena does', () => {
    // Act / Assess
    expect(formatMicros(1_764_064_800_000_007n)).toBe('2025-11-25 10:00:00.000007');
    expect(formatMicros(-1n)).toBe('1969-12-31 23:59:59.999999');
    expect(renderValue(new DuckDBTimestampValue(1_000_000n), TIMESTAMP)).toBe('1970-01-01 00:00:01.000000');
    expect(renderValue(timestampMillisValue(1_001n), TIMESTAMP_MS)).toBe('1970-01-01 00:00:01.001');
    expect(renderValue(2, DOUBLE)).toBe('2.0');
    expect(renderValue(1.5e-5, DOUBLE)).toBe('1.5E-5');
    expect(renderValue(12345678, DOUBLE)).toBe('1.2345678E7');
    expect(renderValue(true, undefined)).toBe('true');
    expect(renderValue(null, DOUBLE)).toBeNull();
  });

  it('puts the header row first, counts it in the page size and writes a quoted CSV', () => {
    // Prepare
    const result = {
      columns: [{ Name: 'a' }, { Name: 'b' }].map((c) => ({
        ...c,
        Label: c.Name,
        Type: 'varchar',
        Precision: 0,
        Scale: 0,
        Nullable: 'UNKNOWN' as const,
        CaseSensitive: true,
        CatalogName: 'hive' as const,
        SchemaName: '' as const,
        TableName: '' as const,
      })),
      rows: [
        ['x "q"', null],
        ['', 'line\nbreak'],
      ],
    };
    // Act
    const first = resultPage(result, 0, 2);
    const second = resultPage(result, 2, 2);
    // Assess
    expect(first.rows.map((r) => r.Data)).toEqual([
      [{ VarCharValue: 'a' }, { VarCharValue: 'b' }],
      [{ VarCharValue: 'x "q"' }, {}],
    ]);
    expect(first.nextOffset).toBe(2);
    expect(second).toEqual({
      rows: [{ Data: [{ VarCharValue: '' }, { VarCharValue: 'line\nbreak' }] }],
      nextOffset: null,
    });
    expect(resultCsv(result)).toBe('"a","b"\n"x ""q""",\n"","line\nbreak"\n');
  });
});

describe('startAthenaServer (raw protocol)', () => {
  let storeDir: string;
  let server: AthenaTestServer;
  const call = async (target: string, body: unknown): Promise<{ status: number; json: unknown }> => {
    const response = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonAthena.${target}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  };
  const idOf = (json: unknown): string =>
    z.object({ QueryExecutionId: z.string() }).parse(json).QueryExecutionId;
  const stateOf = async (id: string): Promise<{ State: string; StateChangeReason?: string }> => {
    const { json } = await call('GetQueryExecution', { QueryExecutionId: id });
    const status = z.object({ State: z.string(), StateChangeReason: z.string().optional() });
    const schema = z.object({ QueryExecution: z.object({ Status: status }) });
    return schema.parse(json).QueryExecution.Status;
  };
  const settle = async (id: string): Promise<{ State: string; StateChangeReason?: string }> => {
    for (;;) {
      const status = await stateOf(id);
      if (!['QUEUED', 'RUNNING'].includes(status.State)) return status;
      await sleep(10);
    }
  };

  beforeAll(async () => {
    storeDir = await mkdtemp(join(tmpdir(), 'athena-server-'));
    server = await startAthenaServer({ storeDir, runningMs: 50 });
  });
  afterAll(async () => {
    await server?.close();
    await rm(storeDir, { recursive: true, force: true });
  });

  it('serves an empty table before any file exists, then the files once written', async () => {
    // Prepare
    const count = { QueryString: 'SELECT count(*) AS n FROM "dasboard"."activity"' };
    // Act
    const before = idOf((await call('StartQueryExecution', count)).json);
    await settle(before);
    const emptyPage = await call('GetQueryResults', { QueryExecutionId: before });
    await writeActivityStore(storeDir, [syntheticEvent(1), syntheticEvent(2)]);
    const after = idOf((await call('StartQueryExecution', count)).json);
    await settle(after);
    const page = await call('GetQueryResults', { QueryExecutionId: after });
    // Assess
    expect(emptyPage.json).toMatchObject({
      ResultSet: { Rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{ VarCharValue: '0' }] }] },
    });
    expect(page.json).toMatchObject({ ResultSet: { Rows: [{}, { Data: [{ VarCharValue: '2' }] }] } });
  });

  it('runs a badly escaped parameter as SQL, as Athena would (why toAthenaLiteral matters)', async () => {
    // Act
    const started = await call('StartQueryExecution', {
      QueryString: 'SELECT count(*) AS n FROM "dasboard"."activity" WHERE db_user = ?',
      ExecutionParameters: ["'nobody' OR '1' = '1'"],
    });
    const id = idOf(started.json);
    await settle(id);
    const page = await call('GetQueryResults', { QueryExecutionId: id });
    // Assess
    expect(page.json).toMatchObject({ ResultSet: { Rows: [{}, { Data: [{ VarCharValue: '2' }] }] } });
  });

  it('fails a second statement smuggled into a parameter', async () => {
    // Act
    const id = idOf(
      (
        await call('StartQueryExecution', {
          QueryString: 'SELECT ? AS v',
          ExecutionParameters: ["'x'; DROP VIEW dasboard.activity; SELECT 'y'"],
        })
      ).json,
    );
    // Assess
    expect(await settle(id)).toMatchObject({
      State: 'FAILED',
      StateChangeReason: expect.stringMatching(/one sql statement/),
    });
  });

  it("answers Athena's JSON errors for bad requests", async () => {
    // Prepare
    server.timings.runningMs = 2_000;
    const running = idOf((await call('StartQueryExecution', { QueryString: 'SELECT 1' })).json);
    // Act
    const early = await call('GetQueryResults', { QueryExecutionId: running });
    const unknown = await call('GetQueryExecution', { QueryExecutionId: 'nope' });
    const tooLong = await call('StartQueryExecution', {
      QueryString: 'SELECT ?',
      ExecutionParameters: ['x'.repeat(1025)],
    });
    const badOperation = await call('DeleteEverything', {});
    await call('StopQueryExecution', { QueryExecutionId: running });
    server.timings.runningMs = 50;
    // Assess
    expect(early).toEqual({
      status: 400,
      json: expect.objectContaining({ __type: 'InvalidRequestException' }),
    });
    expect(early.json).toMatchObject({ Message: expect.stringMatching(/RUNNING|QUEUED/) });
    expect(unknown.status).toBe(400);
    expect(tooLong).toEqual({
      status: 400,
      json: expect.objectContaining({ __type: 'InvalidRequestException' }),
    });
    expect(badOperation).toEqual({
      status: 400,
      json: expect.objectContaining({ __type: 'UnknownOperationException' }),
    });
    expect(await stateOf(running)).toMatchObject({ State: 'CANCELLED' });
  });

  it('keeps the result CSV and serves it as a path-style S3 GetObject', async () => {
    // Prepare
    const id = idOf(
      (await call('StartQueryExecution', { QueryString: "SELECT 'a,b' AS x, NULL AS y, '' AS z" })).json,
    );
    await settle(id);
    const location = server.execution(id)?.resultLocation ?? '';
    // Act
    const response = await fetch(`${server.endpoint}/${location.replace('s3://', '')}`);
    // Assess
    expect(location).toBe(`s3://athena-results/dasboard/${id}.csv`);
    expect(await response.text()).toBe('"x","y","z"\n"a,b",,""\n');
  });
});
