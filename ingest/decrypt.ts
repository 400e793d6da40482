import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import {
  buildClient,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { z } from 'zod';
import { DataKeyCache } from './data-key-cache';
import { PermanentRecordError, TransientError } from './errors';

/** Unwraps DAS data keys: KMS in production, the local key for the demo and tests. */
export interface DataKeyProvider {
  /** Unwraps an encrypted data key (KMS CiphertextBlob) bound to the encryption context. */
  decryptDataKey(ciphertextBlob: Uint8Array, context: Readonly<Record<string, string>>): Promise<Uint8Array>;
}

export interface DecryptorStats {
  kmsCalls: number;
  cacheHits: number;
  records: number;
}

export interface OpenedRecord {
  version: string;
  /** JSON.parse of the gunzipped plaintext, not validated further. */
  payload: unknown;
}

export const DAS_RECORDS_TYPE = 'DatabaseActivityMonitoringRecords';
/** The raw AES keyring RDS wraps each message's data key with (das-format §2.2). */
export const DAS_KEY_NAMESPACE = 'BC';
export const DAS_KEY_NAME = 'DataKey';
const DATA_KEY_BYTES = 32;
const STREAM_PREFIX = 'aws-rds-das-';
// Generous next to the 1–10 MiB Kinesis record limit; stops a decompression bomb.
const MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;

/** KMS errors that concern this record's key blob; anything else may heal, so it fails the batch. */
const PERMANENT_KEY_ERRORS = new Set([
  'InvalidCiphertextException',
  'IncorrectKeyException',
  'InvalidCiphertextError',
]);

// One client for the process. DAS messages use the non-committing suite 0x0378, which the default
// REQUIRE_ENCRYPT_REQUIRE_DECRYPT policy refuses; RDS wraps exactly one data key per message.
const esdk = buildClient({
  commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
  maxEncryptedDataKeys: 1,
});
const gunzipAsync = promisify(gunzip);

/** `cluster-…` → Aurora cluster context, `db-…` → RDS instance context (prefix test, pitfall P9). */
export function encryptionContextFor(resourceId: string): Record<string, string> {
  if (/^cluster-./.test(resourceId)) return { 'aws:rds:dbc-id': resourceId };
  if (/^db-./.test(resourceId)) return { 'aws:rds:db-id': resourceId };
  throw new PermanentRecordError(
    'unknown-resource-id',
    `resource id ${JSON.stringify(resourceId.slice(0, 80))} is neither cluster-… nor db-…`,
  );
}

/** `arn:…:stream/aws-rds-das-<id>` or the bare stream name → `<id>`; null for any other stream. */
export function resourceIdFromStreamArn(arnOrName: string): string | null {
  let name = arnOrName;
  if (arnOrName.startsWith('arn:')) {
    const parts = arnOrName.split(':');
    const resource = parts.slice(5).join(':');
    if (parts.length < 6 || parts[2] !== 'kinesis' || !resource.startsWith('stream/')) return null;
    name = resource.slice('stream/'.length);
  }
  if (!name.startsWith(STREAM_PREFIX)) return null;
  const id = name.slice(STREAM_PREFIX.length);
  return /^(?:cluster|db)-[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id) ? id : null;
}

/** Maps a provider failure to quarantine (this record's key is bad) or batch retry (anything else). */
export function toKeyError(err: unknown): PermanentRecordError | TransientError {
  if (err instanceof PermanentRecordError || err instanceof TransientError) return err;
  const name = err instanceof Error ? err.name : typeof err;
  if (PERMANENT_KEY_ERRORS.has(name)) {
    return new PermanentRecordError('key-decrypt-failed', `data key could not be decrypted (${name})`, {
      cause: err,
    });
  }
  return new TransientError(`data key decryption failed, retry later (${name})`, { cause: err });
}

const base64Field = z
  .string()
  .min(1)
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'not base64');
const envelopeSchema = z.object({
  version: z.string(),
  databaseActivityEvents: base64Field,
  key: base64Field,
});

function parseEnvelope(recordText: string): z.infer<typeof envelopeSchema> {
  let outer: unknown;
  try {
    outer = JSON.parse(recordText);
  } catch {
    throw new PermanentRecordError('not-json', 'record is not JSON');
  }
  const typed = z.object({ type: z.literal(DAS_RECORDS_TYPE) }).safeParse(outer);
  if (!typed.success)
    throw new PermanentRecordError('not-das-record', `record type is not ${DAS_RECORDS_TYPE}`);
  const parsed = envelopeSchema.safeParse(outer);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(', ');
    throw new PermanentRecordError('bad-envelope', `record envelope is malformed (${fields})`);
  }
  return parsed.data;
}

async function decompressPayload(gzipped: Uint8Array): Promise<unknown> {
  // Strictly gzip (RFC 1952): a zlib or raw deflate stream means something is not what RDS sends.
  if (gzipped.length < 2 || gzipped[0] !== 0x1f || gzipped[1] !== 0x8b) {
    throw new PermanentRecordError('decompress-failed', 'payload is not gzip');
  }
  let bytes: Buffer;
  try {
    bytes = await gunzipAsync(gzipped, { maxOutputLength: MAX_PAYLOAD_BYTES });
  } catch (err) {
    throw new PermanentRecordError('decompress-failed', 'payload gzip stream is corrupt or too large', {
      cause: err,
    });
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    // No cause: V8's JSON.parse message quotes the input, i.e. statement text.
    throw new PermanentRecordError('payload-invalid', 'decrypted payload is not UTF-8 JSON');
  }
}

export class DasDecryptor {
  readonly #provider: DataKeyProvider;
  readonly #keys: DataKeyCache;
  readonly #stats: DecryptorStats = { kmsCalls: 0, cacheHits: 0, records: 0 };

  constructor(
    provider: DataKeyProvider,
    options?: { maxKeys?: number; maxAgeMs?: number; now?: () => number },
  ) {
    this.#provider = provider;
    this.#keys = new DataKeyCache(options);
  }

  /** Counters since construction: provider calls, key-cache hits, records opened successfully. */
  get stats(): DecryptorStats {
    return { ...this.#stats };
  }

  /** recordText: UTF-8 JSON text of one Kinesis record (transport base64 already removed). */
  async openRecord(recordText: string, resourceId: string): Promise<OpenedRecord> {
    const envelope = parseEnvelope(recordText);
    const context = encryptionContextFor(resourceId);
    const dataKey = await this.#dataKey(envelope.key, resourceId, context);
    const keyring = new RawAesKeyringNode({
      keyNamespace: DAS_KEY_NAMESPACE,
      keyName: DAS_KEY_NAME,
      unencryptedMasterKey: dataKey,
      wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    });
    let gzipped: Buffer;
    try {
      ({ plaintext: gzipped } = await esdk.decrypt(
        keyring,
        Buffer.from(envelope.databaseActivityEvents, 'base64'),
      ));
    } catch (err) {
      throw new PermanentRecordError('message-decrypt-failed', 'encryption SDK message did not decrypt', {
        cause: err,
      });
    }
    const payload = await decompressPayload(gzipped);
    this.#stats.records += 1;
    return { version: envelope.version, payload };
  }

  async #dataKey(keyB64: string, resourceId: string, context: Record<string, string>): Promise<Uint8Array> {
    // The resource id is part of the cache key so that a cache hit never skips the context check.
    const cacheId = `${resourceId}\n${keyB64}`;
    try {
      const { key, loaded } = await this.#keys.getOrLoad(cacheId, async () => {
        this.#stats.kmsCalls += 1;
        const plain = await this.#provider.decryptDataKey(Buffer.from(keyB64, 'base64'), context);
        if (plain.byteLength !== DATA_KEY_BYTES) {
          throw new PermanentRecordError(
            'key-decrypt-failed',
            `data key is ${plain.byteLength} bytes, not 32`,
          );
        }
        return plain;
      });
      if (!loaded) this.#stats.cacheHits += 1;
      return key;
    } catch (err) {
      throw toKeyError(err);
    }
  }
}
