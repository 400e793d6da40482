/**
 * Ingest benchmark (issue 2): events/s of the full pipeline (decrypt → Parquet in the store)
 * against the floor (decrypt + gunzip + JSON.parse of the same records, nothing else), in one run
 * on one core; KMS calls per 1,000 records and S3 PUTs per 10,000 events over the real SDKs
 * against the local protocol servers; peak RSS of one Lambda-sized batch.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { DasDecryptor, encryptionContextFor, resourceIdFromStreamArn } from '../ingest/decrypt';
import { compileFilters } from '../ingest/filters';
import { sealRecord } from '../ingest/generate/seal';
import { generateTraffic } from '../ingest/generate/traffic';
import type { InputRecord } from '../ingest/input';
import { KmsDataKeyProvider } from '../ingest/kms';
import { createLocalKeyFile, LocalKey, type LocalKeyFile } from '../ingest/local-key';
import { processBatch } from '../ingest/pipeline';
import { LocalStore } from '../lib/store/local';
import { S3Store } from '../lib/store/s3';
import { startKmsServer } from '../test/servers/kms-server';
import { startS3Server } from '../test/servers/s3-server';
import { median, printTable } from './util';

const EVENTS = Number(process.env.BENCH_INGEST_EVENTS ?? 200_000);
// A Firehose transform invocation carries at most ~3 MB of records (the buffer hint's ceiling).
const BATCH_BYTES = 3 * 1024 * 1024;

async function sealTraffic(key: LocalKey): Promise<{ records: InputRecord[]; events: number }> {
  const records: InputRecord[] = [];
  const keys = new Map<string, { epoch: number; key: ReturnType<LocalKey['generateDataKey']> }>();
  let events = 0;
  const to = new Date(Date.UTC(2026, 10, 25));
  for (const r of generateTraffic({
    seed: 7,
    events: EVENTS,
    from: new Date(to.getTime() - 3 * 86_400_000),
    to,
  })) {
    let k = keys.get(r.source.resourceId);
    if (k?.epoch !== r.keyEpoch) {
      k = { epoch: r.keyEpoch, key: key.generateDataKey(encryptionContextFor(r.source.resourceId)) };
      keys.set(r.source.resourceId, k);
    }
    const text = await sealRecord(r.payload, k.key, r.source.version);
    records.push({
      id: `b${records.length}`,
      received: Buffer.from(text).toString('base64'),
      encoding: 'base64',
      sourceArn: `arn:aws:kinesis:eu-west-1:123456789012:stream/${r.source.streamName}`,
      arrivalMs: r.arrival.getTime(),
      meta: {},
    });
    events += r.eventCount;
  }
  return { records, events };
}

function batches(records: InputRecord[]): InputRecord[][] {
  const out: InputRecord[][] = [];
  let current: InputRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    if (bytes + r.received.length > BATCH_BYTES && current.length > 0) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += r.received.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

async function floor(records: InputRecord[], key: LocalKey): Promise<number> {
  const decryptor = new DasDecryptor(key);
  const t = performance.now();
  for (const batch of batches(records)) {
    await Promise.all(
      batch.map((r) =>
        decryptor.openRecord(
          Buffer.from(r.received, 'base64').toString('utf8'),
          resourceIdFromStreamArn(r.sourceArn ?? '') ?? '',
        ),
      ),
    );
  }
  return performance.now() - t;
}

async function pipeline(records: InputRecord[], key: LocalKey, dir: string): Promise<number> {
  const deps = {
    store: new LocalStore(dir),
    decryptor: new DasDecryptor(key),
    filter: compileFilters([]),
    resourceIdOverride: null,
  };
  const t = performance.now();
  for (const batch of batches(records)) await processBatch(batch, deps, 'all');
  return performance.now() - t;
}

export async function benchIngest(): Promise<Record<string, number | string>> {
  const keyFile = createLocalKeyFile();
  const key = new LocalKey(keyFile);
  process.stderr.write(`ingest: sealing ${EVENTS.toLocaleString('en-US')} events…\n`);
  const { records, events } = await sealTraffic(key);
  const floors: number[] = [];
  const pipes: number[] = [];
  for (let round = 0; round < 3; round++) {
    const dir = await mkdtemp(join(tmpdir(), 'dasboard-bench-'));
    // Alternate the order so drift on a shared machine hits both sides alike.
    if (round % 2 === 0) {
      floors.push(await floor(records, key));
      pipes.push(await pipeline(records, key, dir));
    } else {
      pipes.push(await pipeline(records, key, dir));
      floors.push(await floor(records, key));
    }
    await rm(dir, { recursive: true, force: true });
  }
  const floorMs = median(floors);
  const pipeMs = median(pipes);

  // KMS calls per 1,000 records: a cold container (fresh cache) over the real SDK and protocol server.
  const kms = await startKmsServer(key);
  const s3 = await startS3Server({ bucket: 'bench' });
  let kmsPer1000 = 0;
  let putsPer10k = 0;
  try {
    const provider = new KmsDataKeyProvider(
      new KMSClient({
        endpoint: kms.endpoint,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
    );
    const deps = {
      store: new S3Store('bench', 'dasboard', s3.client()),
      decryptor: new DasDecryptor(provider),
      filter: compileFilters([]),
      resourceIdOverride: null,
    };
    for (const batch of batches(records)) await processBatch(batch, deps, 'all');
    kmsPer1000 = (kms.requests.filter((r) => r.target.endsWith('Decrypt')).length / records.length) * 1000;
    const puts = s3.requests.filter((r) => r.method === 'PUT' || r.method === 'POST').length;
    putsPer10k = (puts / events) * 10_000;
  } finally {
    await kms.close();
    await s3.close();
  }

  const memory = lambdaBatchPeakRss(records, keyFile);
  const result = {
    events,
    records: records.length,
    'events/record': Math.round(events / records.length),
    'floor events/s': Math.round(events / (floorMs / 1000)),
    'pipeline events/s': Math.round(events / (pipeMs / 1000)),
    'pipeline / floor time': Number((pipeMs / floorMs).toFixed(2)),
    'KMS calls / 1,000 records': Number(kmsPer1000.toFixed(2)),
    'S3 PUTs / 10,000 events': Number(putsPer10k.toFixed(2)),
    'peak RSS, one 3 MB batch (MB)': await memory,
  };
  printTable('ingest (one core)', result);
  return result;
}

/** Peak RSS of a fresh process that ingests one Firehose-sized batch: what a Lambda must hold. */
async function lambdaBatchPeakRss(records: InputRecord[], keyFile: LocalKeyFile): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'dasboard-mem-'));
  try {
    const batch = batches(records)[0] ?? [];
    await writeFile(join(dir, 'batch.json'), JSON.stringify({ records: batch, key: keyFile }));
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        new URL('./ingest-memory.ts', import.meta.url).pathname,
        join(dir, 'batch.json'),
        dir,
      ],
      { encoding: 'utf8' },
    );
    return Number(out.trim());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
