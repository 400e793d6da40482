import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type AthenaTestServer, startAthenaServer } from '../../test/servers/athena-server';
import { DEFAULT_ROLES } from '../config/schema';
import { AthenaEngine } from '../query/athena';
import type { SqlDialect } from '../query/dialect';
import { DuckdbEngine } from '../query/duckdb';
import type { CompiledQuery, QueryEngine } from '../query/engine';
import { parseActivityRequest } from './activity-request';
import { encodeCursor } from './cursor';
import { writeFixtureStore } from './fixture-store';
import { makeFixtureEvents } from './fixtures';
import { type EffectiveGrant, principalForRoles, resolveGrant } from './grants';
import * as q from './queries';
import type { ActivityQuery } from './query-model';
import * as rows from './rows';

/*
 * The contract between the two engines: every read, built once per dialect, gives the same
 * answer (after row parsing) on DuckDB over the fixture store and on Athena — the real SDK
 * against the Athena-protocol test server over the same store.
 */

const RANGE = { from: '2026-01-10T00:00:00Z', to: '2026-01-12T00:00:00Z' };
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

let storeDir: string;
let server: AthenaTestServer;
let duckdb: DuckdbEngine;
let athena: AthenaEngine;

function request(search: string, extra: Record<string, unknown> = {}): ActivityQuery {
  return parseActivityRequest({ q: search, ...RANGE, ...extra });
}

function grantFor(
  role: string,
  query: ActivityQuery,
  options: Parameters<typeof resolveGrant>[2] = {},
): EffectiveGrant {
  const grant = resolveGrant(principalForRoles('contract', [role], DEFAULT_ROLES), query.filters, options);
  if (grant === null) throw new Error('the request selects nothing');
  return grant;
}

async function answer<T extends z.ZodType>(
  engine: QueryEngine,
  build: (d: SqlDialect) => CompiledQuery,
  schema: T,
): Promise<z.infer<T>[]> {
  const result = await engine.run(build(engine.dialect));
  return schema.array().parse(result.rows);
}

async function both<T extends z.ZodType>(build: (d: SqlDialect) => CompiledQuery, schema: T) {
  return { duck: await answer(duckdb, build, schema), athena: await answer(athena, build, schema) };
}

function athenaEngineFor(athenaServer: AthenaTestServer): AthenaEngine {
  const endpoint = athenaServer.endpoint;
  return new AthenaEngine({
    client: new AthenaClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS }),
    // The test server keeps result CSVs itself and answers path-style GetObject.
    s3Client: new S3Client({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true }),
    database: 'dasboard',
    table: 'activity',
    workgroup: 'primary',
    pollInitialMs: 5,
    pollMaxMs: 20,
  });
}

beforeAll(async () => {
  storeDir = await mkdtemp(join(tmpdir(), 'contract-'));
  await writeFixtureStore(storeDir, makeFixtureEvents());
  server = await startAthenaServer({ storeDir });
  duckdb = new DuckdbEngine({ storeRoot: storeDir });
  athena = athenaEngineFor(server);
});

afterAll(async () => {
  await athena?.close();
  await duckdb?.close();
  await server?.close();
  await rm(storeDir, { recursive: true, force: true });
});

describe('DuckDB and Athena answer every read the same', () => {
  const all = request('');

  it('list page, and the next page through the cursor', async () => {
    // Prepare
    const first = request('', { limit: 25 });
    // Act
    const page1 = await both((d) => q.buildListQuery(d, first, grantFor('admin', first)), rows.listRowSchema);
    const last = page1.duck[24];
    const second = request('', { limit: 25, cursor: encodeCursor(first.sort, last ?? {}) });
    const page2 = await both(
      (d) => q.buildListQuery(d, second, grantFor('admin', second)),
      rows.listRowSchema,
    );
    // Assess
    expect(page1.duck).toHaveLength(26);
    expect(page1.athena).toEqual(page1.duck);
    expect(page2.duck.length).toBeGreaterThan(0);
    expect(page2.athena).toEqual(page2.duck);
  });

  it('filtered list under a narrow, masked role', async () => {
    // Prepare
    const query = request(`user:alice,car* -object:public.tmp* command:INSERT,CREATE*,"o'brien"`, {
      sort: 'db_user',
    });
    // Act
    const page = await both(
      (d) => q.buildListQuery(d, query, grantFor('app-team', query)),
      rows.listRowSchema,
    );
    // Assess
    expect(page.duck.length).toBeGreaterThan(0);
    expect(page.athena).toEqual(page.duck);
  });

  it('free-text search with LIKE metacharacters and quotes', async () => {
    // Prepare
    const query = request(`"s3cr3t-literal" "WHERE note = '"`);
    // Act
    const page = await both(
      (d) => q.buildListQuery(d, query, grantFor('auditor', query)),
      rows.listRowSchema,
    );
    // Assess
    expect(page.duck.length).toBeGreaterThan(0);
    expect(page.athena).toEqual(page.duck);
  });

  it.each(['5 minutes', 'hour', '6 hours', 'day'] as const)('counts over time by %s', async (grain) => {
    // Act
    const counts = await both(
      (d) => q.buildCountsQuery(d, all, grantFor('admin', all), grain),
      rows.countRowSchema,
    );
    // Assess
    expect(counts.duck.length).toBeGreaterThan(1);
    expect(counts.athena).toEqual(counts.duck);
  });

  it.each(['users', 'databases', 'objects', 'hosts'] as const)('top %s', async (dimension) => {
    // Act
    const top = await both(
      (d) => q.buildTopQuery(d, all, grantFor('admin', all), dimension, 5),
      rows.topRowSchema,
    );
    // Assess
    expect(top.duck.length).toBeGreaterThan(0);
    expect(top.athena).toEqual(top.duck);
  });

  it('DDL timeline', async () => {
    // Prepare
    const query = request('', { limit: 10 });
    const grant = grantFor('security-lead', query, { onlyClasses: ['DDL'] });
    // Act
    const timeline = await both((d) => q.buildDdlTimelineQuery(d, query, grant), rows.ddlRowSchema);
    // Assess
    expect(timeline.duck).toHaveLength(11);
    expect(timeline.athena).toEqual(timeline.duck);
  });

  it('session events and summary', async () => {
    // Prepare
    const key = { sessionId: 'sess-life', resourceId: 'cluster-FIXTUREA' };
    const grant = grantFor('admin', all);
    // Act
    const events = await both(
      (d) => q.buildSessionEventsQuery(d, key, all.range, grant, 50),
      rows.listRowSchema,
    );
    const summary = await both(
      (d) => q.buildSessionSummaryQuery(d, key, all.range, grant),
      rows.sessionSummaryRowSchema,
    );
    // Assess
    expect(events.duck).toHaveLength(4);
    expect(events.athena).toEqual(events.duck);
    expect(summary.athena).toEqual(summary.duck);
  });

  it('overview', async () => {
    // Act
    const overview = await both(
      (d) => q.buildOverviewQuery(d, all, grantFor('admin', all)),
      rows.overviewRowSchema,
    );
    // Assess
    expect(overview.duck[0]?.events).toBeGreaterThan(100);
    expect(overview.athena).toEqual(overview.duck);
  });

  it('one event and its MySQL companions', async () => {
    // Prepare
    const grant = grantFor('admin', request('aux:any'));
    const [main] = await answer(
      duckdb,
      (d) => q.buildListQuery(d, request('session:mysess-9', { sort: 'event_time:asc', limit: 1 }), grant),
      rows.listRowSchema,
    );
    const anchor = {
      eventId: main?.event_id ?? '',
      resourceId: 'cluster-FIXTUREM',
      sessionId: 'mysess-9',
      statementId: '77',
    };
    // Act
    const event = await both(
      (d) => q.buildEventQuery(d, anchor.eventId, all.range, grant),
      rows.eventRowSchema,
    );
    const companions = await both(
      (d) => q.buildCompanionsQuery(d, anchor, all.range, grant),
      rows.listRowSchema,
    );
    // Assess
    expect(event.duck).toHaveLength(1);
    expect(event.athena).toEqual(event.duck);
    expect(companions.duck).toHaveLength(2);
    expect(companions.athena).toEqual(companions.duck);
  });

  it('authentication failures by source', async () => {
    // Prepare
    const grant = grantFor('security-lead', all, { onlyClasses: ['AUTH_FAILURE'] });
    // Act
    const sources = await both((d) => q.buildAuthBySourceQuery(d, all, grant, 10), rows.authSourceRowSchema);
    // Assess
    expect(sources.duck.length).toBeGreaterThan(1);
    expect(sources.athena).toEqual(sources.duck);
  });

  it('export streams the same events (Athena from its result object)', async () => {
    // Prepare
    const query = request('aux:any');
    const grant = grantFor('auditor', query, { purpose: 'export' });
    const collect = async (engine: QueryEngine) => {
      const out = [];
      for await (const row of engine.stream(q.buildExportQuery(engine.dialect, query, grant))) out.push(row);
      return rows.eventRowSchema.array().parse(out);
    };
    // Act
    const duck = await collect(duckdb);
    const viaAthena = await collect(athena);
    // Assess
    expect(duck.length).toBeGreaterThan(100);
    expect(viaAthena).toEqual(duck);
  });
});

// Real Athena reads the files' µs timestamps into millisecond `timestamp` columns; the default
// test server keeps µs (so the answers above are equal). This pins down the only difference.
describe("with Athena's millisecond timestamps", () => {
  let msServer: AthenaTestServer;
  let msAthena: AthenaEngine;
  beforeAll(async () => {
    msServer = await startAthenaServer({ storeDir, timestampPrecision: 3 });
    msAthena = athenaEngineFor(msServer);
  });
  afterAll(async () => {
    await msAthena?.close();
    await msServer?.close();
  });

  it('answers differ only below the millisecond', async () => {
    // Prepare
    const query = request('aux:any');
    const grant = grantFor('admin', query);
    const toMillis = (row: rows.EventRow) => {
      const cut = (iso: string) => `${iso.slice(0, 23)}000Z`;
      return {
        ...row,
        event_time: cut(row.event_time),
        log_time: cut(row.log_time),
        end_time: row.end_time === null ? null : cut(row.end_time),
        ingested_at: cut(row.ingested_at),
      };
    };
    const build = (d: SqlDialect) => q.buildExportQuery(d, query, grant);
    // Act
    const duck = await answer(duckdb, build, rows.eventRowSchema);
    const viaAthena = await answer(msAthena, build, rows.eventRowSchema);
    // Assess
    expect(viaAthena).not.toEqual(duck);
    expect(viaAthena.map(toMillis)).toEqual(duck.map(toMillis));
  });
});
