/**
 * Ingest failures. A `permanent` failure concerns one record (it goes to quarantine with its
 * reason and the batch goes on); a `transient` one (KMS throttling, S3 5xx, network) fails the
 * batch so that the source retries it.
 */

export const QUARANTINE_REASONS = [
  'not-json',
  'not-das-record',
  'bad-envelope',
  'unknown-resource-id',
  'key-decrypt-failed',
  'message-decrypt-failed',
  'decompress-failed',
  'payload-invalid',
  'event-invalid',
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

export class IngestError extends Error {
  readonly reason: QuarantineReason;
  constructor(reason: QuarantineReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
    this.reason = reason;
  }
}

/** A record that can never be processed: quarantine it. */
export class PermanentRecordError extends IngestError {
  constructor(reason: QuarantineReason, message: string, options?: { cause?: unknown }) {
    super(reason, message, options);
    this.name = 'PermanentRecordError';
  }
}

/** Worth retrying later (throttling, 5xx, timeouts): fail the batch, never quarantine. */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

export const isTransient = (err: unknown): err is TransientError => err instanceof TransientError;
