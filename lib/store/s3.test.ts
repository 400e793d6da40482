import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TransientError } from '../../ingest/errors';
import { S3_TEST_CREDENTIALS, type S3TestServer, startS3Server } from '../../test/servers/s3-server';
import { S3_PART_SIZE, S3Store, s3ClientConfig } from './s3';
import type { StoredObject } from './types';

async function collect(iterable: AsyncIterable<StoredObject>): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

describe('s3ClientConfig', () => {
  it('forces path style only when an S3 endpoint override is configured', () => {
    expect(s3ClientConfig({})).toEqual({});
    expect(s3ClientConfig({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' })).toEqual({
      forcePathStyle: true,
    });
    expect(s3ClientConfig({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' })).toEqual({ forcePathStyle: true });
    expect(
      s3ClientConfig({ AWS_ENDPOINT_URL_S3: 'http://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }),
    ).toEqual({});
  });
});

describe('S3Store', () => {
  let server: S3TestServer;
  let store: S3Store;

  beforeAll(async () => {
    server = await startS3Server({ bucket: 'audit-test' });
    store = new S3Store(server.bucket, '/das/prod/', server.client(), { listPageSize: 4 });
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    server.failNext(0);
    server.delayMs = 0;
    vi.unstubAllEnvs();
  });

  it('puts and gets bytes and strings under the prefix; a missing key is null', async () => {
    // Act
    await store.put('activity/class=DDL/dt=2026-11-25/a.parquet', new Uint8Array([0, 1, 255]));
    await store.put('quarantine/dt=2026-11-25/q.json', '{"ü":"✓"}', 'application/json');
    // Assess
    expect(store.root).toBe('s3://audit-test/das/prod');
    expect(await store.get('activity/class=DDL/dt=2026-11-25/a.parquet')).toEqual(
      new Uint8Array([0, 1, 255]),
    );
    expect(text(await store.get('quarantine/dt=2026-11-25/q.json'))).toBe('{"ü":"✓"}');
    expect(await store.get('activity/none.parquet')).toBeNull();
    const put = server.requests.find((r) => r.method === 'PUT' && r.path.includes('a.parquet'));
    expect(put?.path).toMatch(/^\/audit-test\/das\/prod\/activity\/class%3DDDL\/dt%3D2026-11-25\/a\.parquet/);
  });

  it('lists nested partitions in key order across several pages', async () => {
    // Prepare: 18 objects over class=X/dt=Y partitions, pages of 4 keys.
    const keys = ['DDL', 'DML', 'DQL'].flatMap((cls) =>
      ['2026-11-24', '2026-11-25', '2026-11-26'].flatMap((dt) =>
        [0, 1].map((n) => `list/class=${cls}/dt=${dt}/${n}.parquet`),
      ),
    );
    // Written in a scrambled order (7 is coprime with 18): the listing must not follow write order.
    for (const i of keys.keys())
      await store.put(keys[(i * 7) % keys.length] ?? '', `body ${i}`.padEnd(20, '.'));
    const before = server.requests.length;
    // Act
    const listed = await collect(store.list('list/'));
    const ddl = await collect(store.list('list/class=DDL/dt=2026-11-25/'));
    // Assess
    expect(listed.map((o) => o.key)).toEqual(keys);
    expect(listed.every((o) => o.size === 20)).toBe(true);
    expect(ddl.map((o) => o.key)).toEqual([
      'list/class=DDL/dt=2026-11-25/0.parquet',
      'list/class=DDL/dt=2026-11-25/1.parquet',
    ]);
    const listCalls = server.requests.slice(before).filter((r) => r.path.includes('list-type=2'));
    expect(listCalls.length).toBeGreaterThanOrEqual(5);
    expect(listCalls.filter((r) => r.path.includes('continuation-token=')).length).toBeGreaterThanOrEqual(4);
  });

  it('uploads a body above the part size as a multipart upload', async () => {
    // Prepare
    const body = new Uint8Array(S3_PART_SIZE + 1024 * 1024).map((_, i) => i % 251);
    const before = server.requests.length;
    // Act
    await store.put('big/multipart.bin', body);
    // Assess
    const calls = server.requests.slice(before);
    expect(calls.some((r) => r.method === 'POST' && r.path.includes('?uploads'))).toBe(true);
    expect(calls.filter((r) => r.method === 'PUT' && r.path.includes('x-id=UploadPart'))).toHaveLength(2);
    expect(calls.some((r) => r.method === 'POST' && /[?&]uploadId=/.test(r.path))).toBe(true);
    // Buffer.equals: a deep toEqual over 6 MB of elements takes minutes.
    const stored = await store.get('big/multipart.bin');
    expect(stored && Buffer.from(stored).equals(body)).toBe(true);
  });

  it('absorbs two 503 SlowDown answers through the SDK retries and writes the object once', async () => {
    // Prepare
    server.failNext(2, 503);
    const before = server.requests.length;
    // Act
    await store.put('retry/once.json', '{"n":1}');
    // Assess
    expect(server.requests.slice(before).filter((r) => r.method === 'PUT')).toHaveLength(3);
    expect(await collect(store.list('retry/'))).toEqual([{ key: 'retry/once.json', size: 7 }]);
    expect(text(await store.get('retry/once.json'))).toBe('{"n":1}');
  });

  it('throws TransientError when 500s outlast the SDK retries', async () => {
    // Prepare
    server.failNext(50, 500);
    const before = server.requests.length;
    // Act
    const error = await store.put('fail/x.json', 'x').catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(TransientError);
    expect(String(error)).toMatch(/S3 put s3:\/\/audit-test\/das\/prod\/fail\/x\.json failed: InternalError/);
    expect(server.requests.length - before).toBe(3); // the SDK's standard mode: 3 attempts
  });

  it('maps 503 SlowDown on get and list to TransientError too', async () => {
    // One attempt per call keeps this quick; the retry path is covered above.
    const impatient = new S3Store(server.bucket, 'das/prod', server.client({ maxAttempts: 1 }));
    server.failNext(2, 503);
    await expect(impatient.get('activity/class=DDL/dt=2026-11-25/a.parquet')).rejects.toBeInstanceOf(
      TransientError,
    );
    const error = await collect(impatient.list('list/')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(String(error)).toMatch(/S3 list s3:\/\/audit-test\/das\/prod\/list\/ failed: SlowDown/);
  });

  it('maps refused connections and timeouts to TransientError', async () => {
    // Prepare: nothing listens on port 1; the proxy holds answers longer than the client waits.
    const refused = new S3Store(
      'audit-test',
      '',
      server.client({ endpoint: 'http://127.0.0.1:1', maxAttempts: 1 }),
    );
    const slow = new S3Store(
      server.bucket,
      'das/prod',
      server.client({ maxAttempts: 1, requestHandler: { requestTimeout: 150, throwOnRequestTimeout: true } }),
    );
    server.delayMs = 1000;
    // Act
    const refusedError = await refused.get('k').catch((e: unknown) => e);
    const timeoutError = await slow
      .get('activity/class=DDL/dt=2026-11-25/a.parquet')
      .catch((e: unknown) => e);
    // Assess
    expect(refusedError).toBeInstanceOf(TransientError);
    expect(String(refusedError)).toMatch(/ECONNREFUSED/);
    expect(timeoutError).toBeInstanceOf(TransientError);
    expect(String(timeoutError)).toMatch(/TimeoutError/);
  });

  it('throws a plain Error for a client-side failure (no such bucket)', async () => {
    const missing = new S3Store('no-such-bucket', '', server.client());
    const error = await missing.put('x.json', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TransientError);
    expect(String(error)).toMatch(/S3 put s3:\/\/no-such-bucket\/x\.json failed: NoSuchBucket/);
  });

  it('uses AWS_ENDPOINT_URL_S3 from the environment with path-style requests', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_S3', server.endpoint);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', S3_TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', S3_TEST_CREDENTIALS.secretAccessKey);
    const before = server.requests.length;
    // Act
    const fromEnv = new S3Store(server.bucket, 'env');
    await fromEnv.put('k.txt', 'v');
    // Assess
    expect(text(await fromEnv.get('k.txt'))).toBe('v');
    expect(server.requests[before]?.path).toMatch(/^\/audit-test\/env\/k\.txt/);
  });
});
