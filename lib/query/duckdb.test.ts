import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCancelledError, QueryFailedError } from '../http/errors';
import { DuckdbEngine } from './duckdb';
import type { CompiledQuery } from './engine';
import { compile, sql } from './sql';

const q = (text: string, params: CompiledQuery['params'] = []): CompiledQuery => ({
  text,
  params,
  label: 'test',
});

describe('DuckdbEngine', () => {
  let root: string;
  let engine: DuckdbEngine;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'dasboard-duck-'));
    engine = new DuckdbEngine({ storeRoot: path.join(root, 'missing-store'), connections: 2 });
  });
  afterAll(async () => {
    await engine.close();
    await rm(root, { recursive: true, force: true });
  });

  it('answers like an empty table when the store has no activity files', async () => {
    const source = engine.dialect.activitySource();
    const count = await engine.run(
      compile(sql`SELECT count(*) AS n, max(event_time) AS t FROM ${source} WHERE class IN (${'DDL'})`, 'x'),
    );
    expect(count.rows).toEqual([{ n: '0', t: null }]);
    const rows = await engine.run(compile(sql`SELECT event_id, dt FROM ${source} LIMIT 5`, 'x'));
    expect(rows.rows).toEqual([]);
  });

  it('binds every parameter type as a value', async () => {
    const result = await engine.run(
      q('SELECT ? AS s, ? AS n, ? AS b, ? AS f, ? AS z, ? AS d, ? AS x', [
        "it's; --",
        42,
        2n ** 62n,
        true,
        null,
        new Date('2026-01-10T01:02:03.004Z'),
        1.5,
      ]),
    );
    expect(result.rows).toEqual([
      {
        s: "it's; --",
        n: '42',
        b: '4611686018427387904',
        f: true,
        z: null,
        d: '2026-01-10 01:02:03.004',
        x: 1.5,
      },
    ]);
    expect(result.bytesScanned).toBeNull();
  });

  it('wraps engine errors without echoing them', async () => {
    const err = await engine.run(q('SELECT * FROM no_such_table')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect(err instanceof QueryFailedError && err.message).toBe('The query failed');
    expect(err instanceof QueryFailedError && err.cause instanceof Error && err.cause.message).toMatch(
      /no_such_table/,
    );
  });

  it('interrupts a running query when the signal aborts, and keeps working', async () => {
    const controller = new AbortController();
    const slow = q('SELECT count(*) FROM range(100000000000) a(i) WHERE i % 7 = 3');
    const started = performance.now();
    setTimeout(() => controller.abort(), 150);
    await expect(engine.run(slow, { signal: controller.signal })).rejects.toBeInstanceOf(QueryCancelledError);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await engine.run(q('SELECT 1 AS one'))).rows).toEqual([{ one: 1 }]);
    await expect(engine.run(q('SELECT 1'), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      QueryCancelledError,
    );
  });

  it('queues queries beyond the pool size', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => engine.run(q('SELECT ? AS i', [i]))),
    );
    expect(results.map((r) => r.rows[0]?.i)).toEqual(['0', '1', '2', '3', '4', '5']);
  });

  it('streams large results chunk by chunk and releases on early exit', async () => {
    let seen = 0;
    for await (const row of engine.stream(q('SELECT i FROM range(50000) t(i) ORDER BY i'))) {
      expect(row.i).toBe(String(seen));
      seen++;
    }
    expect(seen).toBe(50000);
    let taken = 0;
    for await (const _ of engine.stream(q('SELECT i FROM range(1000000) t(i)'))) {
      taken++;
      if (taken === 10) break;
    }
    expect(taken).toBe(10);
    const err = await (async () => {
      for await (const _ of engine.stream(q('SELECT * FROM nope'))) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
  });
});
