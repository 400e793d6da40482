import { existsSync } from 'node:fs';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type S3TestServer, startS3Server } from './s3-server';

describe('startS3Server', () => {
  let server: S3TestServer;
  let client: S3Client;
  let startMs = 0;

  beforeAll(async () => {
    const start = performance.now();
    server = await startS3Server({ bucket: 'fixture-bucket' });
    startMs = performance.now() - start;
    client = server.client();
    const keys = [
      'activity/class=DDL/dt=2026-11-24/a.parquet',
      'activity/class=DDL/dt=2026-11-25/b.parquet',
      'activity/class=DML/dt=2026-11-25/c.parquet',
      'quarantine/dt=2026-11-25/q.json',
      'top.txt',
      'activity-log.txt', // sorts before 'activity/…' ('-' < '/') though its file sorts after that folder
    ];
    for (const Key of keys)
      await client.send(new PutObjectCommand({ Bucket: server.bucket, Key, Body: Key }));
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    server.failNext(0);
    server.delayMs = 0;
  });

  it('starts quickly on 127.0.0.1 with the bucket created', () => {
    // ~0.6 s wall on an idle 2-core box; CPU time is the load-independent check.
    expect(server.startupCpuMs).toBeGreaterThan(0);
    expect(server.startupCpuMs).toBeLessThan(2000);
    expect(startMs).toBeLessThan(10_000);
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.bucket).toBe('fixture-bucket');
  });

  it('lists common prefixes at the root and below nested partitions (patched s3rver)', async () => {
    // Act
    const root = await client.send(new ListObjectsV2Command({ Bucket: server.bucket, Delimiter: '/' }));
    const classes = await client.send(
      new ListObjectsV2Command({ Bucket: server.bucket, Delimiter: '/', Prefix: 'activity/' }),
    );
    // Assess
    expect(root.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['activity/', 'quarantine/']);
    expect(root.Contents?.map((o) => o.Key)).toEqual(['activity-log.txt', 'top.txt']);
    expect(classes.CommonPrefixes?.map((p) => p.Prefix)).toEqual([
      'activity/class=DDL/',
      'activity/class=DML/',
    ]);
  });

  it('pages ListObjectsV2 in key order with continuation tokens', async () => {
    // Act
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: server.bucket, MaxKeys: 2, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    // Assess
    expect(pages).toBe(3);
    expect(keys).toEqual([
      'activity-log.txt',
      'activity/class=DDL/dt=2026-11-24/a.parquet',
      'activity/class=DDL/dt=2026-11-25/b.parquet',
      'activity/class=DML/dt=2026-11-25/c.parquet',
      'quarantine/dt=2026-11-25/q.json',
      'top.txt',
    ]);
  });

  it('answers the next N requests with S3 XML errors, then recovers', async () => {
    // Prepare
    server.failNext(2, 503);
    const url = `${server.endpoint}/${server.bucket}/top.txt`;
    // Act
    const first = await fetch(url);
    const second = await fetch(url, { method: 'PUT', body: 'ignored' });
    const third = await fetch(url);
    // Assess
    expect(first.status).toBe(503);
    expect(first.headers.get('content-type')).toBe('application/xml');
    expect(await first.text()).toMatch(/<Error><Code>SlowDown<\/Code><Message>[^<]+<\/Message><RequestId>/);
    expect(second.status).toBe(503);
    await second.text();
    expect([third.status, await third.text()]).toEqual([200, 'top.txt']); // spent: proxied to s3rver again
    server.failNext(1);
    const internal = await fetch(url);
    expect([internal.status, await internal.text()]).toEqual([
      500,
      expect.stringContaining('<Code>InternalError</Code>'),
    ]);
  });

  it('records requests and applies delayMs', async () => {
    // Prepare
    server.delayMs = 300;
    const before = server.requests.length;
    const start = performance.now();
    // Act
    await client.send(new PutObjectCommand({ Bucket: server.bucket, Key: 'delayed.txt', Body: 'x' }));
    // Assess
    expect(performance.now() - start).toBeGreaterThanOrEqual(290);
    expect(server.requests.slice(before)).toEqual([
      { method: 'PUT', path: '/fixture-bucket/delayed.txt?x-id=PutObject' },
    ]);
  });

  it('close() stops the server and removes its data folder', async () => {
    // Prepare
    const other = await startS3Server();
    const { endpoint, dataDir } = other;
    expect(existsSync(dataDir)).toBe(true);
    // Act
    await other.close();
    // Assess
    expect(existsSync(dataDir)).toBe(false);
    await expect(fetch(`${endpoint}/dasboard-test`)).rejects.toThrow();
  });
});
