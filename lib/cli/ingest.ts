import { statSync } from 'node:fs';
import { KMSClient } from '@aws-sdk/client-kms';
import { loadFilterRules } from '../../ingest/config';
import { DasDecryptor, type DataKeyProvider } from '../../ingest/decrypt';
import { TransientError } from '../../ingest/errors';
import { InputFileError, readInputFile } from '../../ingest/files';
import { compileFilters } from '../../ingest/filters';
import { KmsDataKeyProvider } from '../../ingest/kms';
import { loadLocalKeyFile } from '../../ingest/local-key';
import { processBatch } from '../../ingest/pipeline';
import { emptySummary, type IngestSummary, mergeSummary } from '../../ingest/summary';
import { openStore, parseStoreUrl } from '../store/index';
import { CliError } from './errors';
import { runInWorkers } from './parallel';

export interface IngestOptions {
  files: readonly string[];
  store: string | undefined;
  /** Path of the local key file (the demo's stand-in for KMS); KMS through the AWS SDK otherwise. */
  localKey?: string;
  resourceId?: string;
  config?: string;
  retries?: number;
  onBatch?: (label: string, summary: IngestSummary) => void;
}

export interface IngestRunSummary extends IngestSummary {
  store: string;
  files: number;
  batches: number;
  seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function providerFor(options: IngestOptions): Promise<DataKeyProvider> {
  if (options.localKey) {
    try {
      return await loadLocalKeyFile(options.localKey);
    } catch (err) {
      throw new CliError(err instanceof Error ? err.message : String(err));
    }
  }
  return new KmsDataKeyProvider(new KMSClient({}));
}

/** `dasboard ingest`: the Lambda's core over files, one delivery batch at a time. */
export async function runIngest(options: IngestOptions): Promise<IngestRunSummary> {
  const started = performance.now();
  if (options.resourceId && !/^(cluster|db)-[A-Za-z0-9_-]+$/.test(options.resourceId)) {
    throw new CliError(`--resource-id must look like cluster-… or db-…, got "${options.resourceId}"`);
  }
  let filterRules: Awaited<ReturnType<typeof loadFilterRules>>;
  try {
    filterRules = await loadFilterRules(options.config);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  let location: ReturnType<typeof parseStoreUrl>;
  try {
    location = parseStoreUrl(options.store);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  const store = openStore(location);
  const decryptor = new DasDecryptor(await providerFor(options));
  const deps = {
    store,
    decryptor,
    filter: compileFilters(filterRules),
    resourceIdOverride: options.resourceId ?? null,
  };
  const total = emptySummary();
  let batches = 0;
  for (const file of options.files) {
    try {
      for await (const batch of readInputFile(file)) {
        const summary = await withRetries(batch.label, options.retries ?? 3, () =>
          processBatch(batch.records, deps, 'all'),
        );
        batches += 1;
        options.onBatch?.(batch.label, summary);
        mergeSummary(total, summary);
      }
    } catch (err) {
      if (err instanceof InputFileError) throw new CliError(err.message);
      throw err;
    }
  }
  total.kmsCalls = decryptor.stats.kmsCalls;
  return {
    store: store.root,
    files: options.files.length,
    batches,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    ...total,
  };
}

async function withRetries(
  label: string,
  retries: number,
  run: () => Promise<{ summary: IngestSummary }>,
): Promise<IngestSummary> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await run()).summary;
    } catch (err) {
      if (!(err instanceof TransientError) || attempt >= retries) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new CliError(
          `${label}: batch failed after ${attempt + 1} attempt(s): ${reason} (nothing of this batch was lost: run the command again)`,
          1,
        );
      }
      await sleep(250 * 4 ** attempt);
    }
  }
}

/**
 * Ingest files on several worker threads (decryption is CPU-bound): each worker takes a share of
 * the files, largest first. Object names are per batch, so workers never write the same object.
 */
export async function runIngestParallel(
  options: Omit<IngestOptions, 'onBatch'>,
  workers: number,
  onProgress?: (events: number) => void,
): Promise<IngestRunSummary> {
  const sized = options.files.map((f) => {
    try {
      return { f, size: statSync(f).size };
    } catch {
      throw new CliError(`cannot read ${f}: no such file`);
    }
  });
  sized.sort((a, b) => b.size - a.size);
  const n = Math.max(1, Math.min(workers, sized.length));
  const shares = Array.from({ length: n }, () => ({ files: [] as string[], bytes: 0 }));
  for (const { f, size } of sized) {
    const share = shares.reduce((min, s) => (s.bytes < min.bytes ? s : min));
    share.files.push(f);
    share.bytes += size;
  }
  const done = new Array<number>(n).fill(0);
  const started = performance.now();
  const results = await runInWorkers<Omit<IngestOptions, 'onBatch'>, IngestRunSummary, { events: number }>(
    new URL('./ingest-task.ts', import.meta.url),
    'ingestTask',
    shares.map((s) => ({ ...options, files: s.files })),
    (w, p) => {
      done[w] = p.events;
      onProgress?.(done.reduce((a, b) => a + b, 0));
    },
  );
  const total = emptySummary();
  for (const r of results) mergeSummary(total, r);
  return {
    store: results[0]?.store ?? '',
    files: options.files.length,
    batches: results.reduce((a, r) => a + r.batches, 0),
    seconds: Math.round((performance.now() - started) / 10) / 100,
    ...total,
  };
}
