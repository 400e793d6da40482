import { z } from 'zod';
import { TransientError } from '../../ingest/errors';

/** What the AWS SDK (and Node's network layer) put on an error; read through a schema, not a cast. */
const sdkErrorShape = z.object({
  name: z.string().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  $fault: z.string().optional(),
  $metadata: z.object({ httpStatusCode: z.number().optional() }).optional(),
  $retryable: z.object({ throttling: z.boolean().optional() }).optional(),
});

const TRANSIENT_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'InternalError',
  'ServiceUnavailable',
  'PriorRequestNotComplete',
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
]);

/** Throttling, 5xx and network failures: worth retrying the whole batch later. */
export function isTransientS3Error(err: unknown): boolean {
  const parsed = sdkErrorShape.safeParse(err);
  if (!parsed.success) return false;
  const { name, code, $metadata, $retryable } = parsed.data;
  const status = $metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if ($retryable !== undefined) return true;
  if (name !== undefined && TRANSIENT_NAMES.has(name)) return true;
  return code !== undefined && NETWORK_CODES.has(code);
}

function describeSdkError(err: unknown): string {
  const parsed = sdkErrorShape.safeParse(err);
  if (!parsed.success) return String(err);
  const { name = 'Error', code, message = '', $metadata } = parsed.data;
  const status = $metadata?.httpStatusCode;
  const detail = [code && code !== name ? code : undefined, status ? `HTTP ${status}` : undefined]
    .filter(Boolean)
    .join(', ');
  return `${name}${detail ? ` (${detail})` : ''}: ${message}`;
}

/** Maps an SDK failure (after the SDK's own retries) to TransientError or a plain, explicit Error. */
export function toStoreError(err: unknown, operation: string, uri: string): Error {
  const message = `S3 ${operation} ${uri} failed: ${describeSdkError(err)}`;
  return isTransientS3Error(err)
    ? new TransientError(message, { cause: err })
    : new Error(message, { cause: err });
}
