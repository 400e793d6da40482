import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { firehoseEventSchema, firehoseInputs, kinesisEventSchema, kinesisInput } from './envelopes';
import type { InputRecord } from './input';

/** One delivery batch read from a file, processed like one Lambda invocation. */
export interface FileBatch {
  readonly label: string;
  readonly kind: 'firehose' | 'kinesis' | 'ndjson';
  readonly records: InputRecord[];
}

export class InputFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputFileError';
  }
}

const NDJSON_BATCH = 500;
const WHOLE_FILE_LIMIT = 512 * 1024 * 1024;

/** `aws-rds-das-<id>[.part-N].ndjson` names the stream; any other NDJSON needs --resource-id. */
function streamFromFileName(path: string): string | null {
  const m = /^(aws-rds-das-(?:cluster|db)-[A-Za-z0-9_-]+)(?:\.part-\d+)?\.(?:ndjson|jsonl)$/.exec(
    basename(path),
  );
  return m?.[1] ?? null;
}

async function* ndjsonBatches(path: string): AsyncGenerator<FileBatch> {
  const stream = streamFromFileName(path);
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let batch: InputRecord[] = [];
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (line.trim() === '') continue;
    batch.push({
      id: `${basename(path)}:${n}`,
      received: line,
      encoding: 'text',
      sourceArn: stream,
      arrivalMs: null,
      meta: { file: basename(path), line: n },
    });
    if (batch.length === NDJSON_BATCH) {
      yield { label: `${path}:${n}`, kind: 'ndjson', records: batch };
      batch = [];
    }
  }
  if (batch.length > 0) yield { label: `${path}:${n}`, kind: 'ndjson', records: batch };
}

/**
 * Reads a Firehose transformation event or a Kinesis event-source event (one JSON document, an
 * array of them, or one per line), or newline-delimited raw DAS records (`*.ndjson`, `*.jsonl`),
 * as delivery batches.
 */
export async function* readInputFile(path: string): AsyncGenerator<FileBatch> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw new InputFileError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  // Raw records, one per line: a broken line is a record to quarantine, not a broken file.
  if (/\.(ndjson|jsonl)$/i.test(path)) {
    yield* ndjsonBatches(path);
    return;
  }
  if (size > WHOLE_FILE_LIMIT) throw new InputFileError(`${path}: event files over 512 MB are not supported`);
  const text = await readFile(path, 'utf8');
  const docs = parseDocuments(path, text);
  for (const [i, doc] of docs.entries()) {
    const label = docs.length > 1 ? `${path}#${i + 1}` : path;
    const firehose = firehoseEventSchema.safeParse(doc);
    if (firehose.success) {
      yield { label, kind: 'firehose', records: firehoseInputs(firehose.data) };
      continue;
    }
    const kinesis = kinesisEventSchema.safeParse(doc);
    if (kinesis.success) {
      yield { label, kind: 'kinesis', records: kinesis.data.Records.map(kinesisInput) };
      continue;
    }
    throw new InputFileError(
      `${label}: not a Firehose transformation event, a Kinesis event or NDJSON DAS records`,
    );
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function parseDocuments(path: string, text: string): unknown[] {
  const whole = tryJson(text);
  if (whole !== null) return Array.isArray(whole) ? whole : [whole];
  const docs: unknown[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const doc = tryJson(line);
    if (doc === null) throw new InputFileError(`${path}:${i + 1}: not valid JSON`);
    docs.push(doc);
  }
  if (docs.length === 0) throw new InputFileError(`${path}: the file is empty`);
  return docs;
}
