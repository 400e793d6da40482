import { createHash } from 'node:crypto';

/**
 * One record as it reached us, whatever the delivery path. `received` is kept exactly as it
 * arrived (the transport base64 for Firehose/Kinesis, the line for NDJSON) so that quarantine
 * and Firehose's raw archive get the record untouched.
 */
export interface InputRecord {
  /** Firehose recordId, Kinesis sequence number, or `<file>:<line>` for NDJSON. */
  readonly id: string;
  readonly received: string;
  readonly encoding: 'base64' | 'text';
  /** Stream ARN or name the record came from (resource id source), if known. */
  readonly sourceArn: string | null;
  /** Approximate arrival (epoch ms), if known: dates quarantine documents deterministically. */
  readonly arrivalMs: number | null;
  readonly meta: Readonly<Record<string, string | number | null>>;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The record's bytes as the stream carried them, or null when the transport base64 is broken. */
export function recordBytes(record: InputRecord): Buffer | null {
  if (record.encoding === 'text') return Buffer.from(record.received, 'utf8');
  if (record.received.length % 4 !== 0 || !BASE64.test(record.received)) return null;
  return Buffer.from(record.received, 'base64');
}

/** Content hash of the record as received: names quarantine documents and batch objects. */
export function recordDigest(record: InputRecord): string {
  return createHash('sha256').update(record.received).digest('hex');
}
