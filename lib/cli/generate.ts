import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { listSources } from '../../ingest/generate/traffic';
import { ensureLocalKeyFile } from '../../ingest/local-key';
import { CliError } from './errors';
import type { GenerateTaskInput, GenerateTaskResult, OutputFormat } from './generate-task';
import { runInWorkers } from './parallel';

export interface GenerateOptions {
  events: number;
  from: Date;
  to: Date;
  seed: number;
  sources: number;
  format: OutputFormat;
  out: string;
  keyFile: string;
  region: string;
  workers?: number;
  eventsPerRecord?: { min: number; max: number };
  heartbeatEvery?: number;
  onProgress?: (events: number) => void;
}

export interface GenerateSummary extends Omit<GenerateTaskResult, 'files'> {
  sources: { resourceId: string; engine: string; streamName: string }[];
  files: number;
  out: string;
  keyFile: string;
  seconds: number;
}

/** `dasboard generate`: encrypted DAS traffic, sealed exactly as RDS does, with a local key. */
export async function runGenerate(options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now();
  if (options.to.getTime() <= options.from.getTime()) throw new CliError('--to must be after --from');
  const keyFile = resolve(options.keyFile);
  try {
    await ensureLocalKeyFile(keyFile);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  const traffic = {
    seed: options.seed,
    events: options.events,
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    clusters: options.sources,
    ...(options.eventsPerRecord ? { eventsPerRecord: options.eventsPerRecord } : {}),
    ...(options.heartbeatEvery !== undefined ? { heartbeatEvery: options.heartbeatEvery } : {}),
  };
  const sources = listSources({ ...traffic, from: options.from, to: options.to });
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), sources.length));
  const inputs: GenerateTaskInput[] = Array.from({ length: workers }, (_, w) => ({
    traffic,
    sourceIndexes: sources.map((_, i) => i).filter((i) => i % workers === w),
    outDir: resolve(options.out),
    format: options.format,
    keyFile,
    region: options.region,
  }));
  const done = new Array<number>(workers).fill(0);
  const results = await runInWorkers<GenerateTaskInput, GenerateTaskResult, { events: number }>(
    new URL('./generate-task.ts', import.meta.url),
    'generateTask',
    inputs,
    (w, p) => {
      done[w] = p.events;
      options.onProgress?.(done.reduce((a, b) => a + b, 0));
    },
  );
  return {
    sources: sources.map((s) => ({ resourceId: s.resourceId, engine: s.engine, streamName: s.streamName })),
    records: results.reduce((a, r) => a + r.records, 0),
    events: results.reduce((a, r) => a + r.events, 0),
    heartbeats: results.reduce((a, r) => a + r.heartbeats, 0),
    dataKeys: results.reduce((a, r) => a + r.dataKeys, 0),
    files: results.reduce((a, r) => a + r.files.length, 0),
    out: resolve(options.out),
    keyFile,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}
