import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type KeyObject,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { DataKeyProvider } from './decrypt';

/*
 * The explicit local stand-in for KMS (demo generator, tests, `dasboard ingest --local-key`).
 * Ciphertext blob layout (version 1): magic 'DBK1' (4 bytes) | IV (12) | GCM tag (16) | ciphertext.
 * AES-256-GCM under the master key with AAD = canonical context (JSON of the [key, value] pairs
 * sorted by key), so a blob opened with another context fails, like KMS InvalidCiphertextException.
 */
const BLOB_MAGIC = Buffer.from('DBK1', 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = BLOB_MAGIC.length + IV_BYTES + TAG_BYTES;
const MASTER_KEY_BYTES = 32;
const DATA_KEY_BYTES = 32;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const localKeyFileSchema = z.object({
  version: z.literal(1),
  keyId: z.string().min(1),
  masterKey: z
    .string()
    .refine((s) => BASE64.test(s) && Buffer.from(s, 'base64').length === MASTER_KEY_BYTES, {
      message: `must be base64 of ${MASTER_KEY_BYTES} bytes`,
    }),
});
export type LocalKeyFile = z.infer<typeof localKeyFileSchema>;

/** A blob that does not open under this key and context (mirrors KMS InvalidCiphertextException). */
export class InvalidCiphertextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCiphertextError';
  }
}

/** The local key file is missing, unreadable or malformed (the message names the file, never the key). */
export class LocalKeyFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalKeyFileError';
  }
}

/** Canonical AAD for an encryption context: order-independent, unambiguous. */
export function canonicalContext(context: Readonly<Record<string, string>>): Buffer {
  const pairs = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(pairs), 'utf8');
}

export function createLocalKeyFile(): LocalKeyFile {
  return {
    version: 1,
    keyId: `arn:aws:kms:local:000000000000:key/${randomUUID()}`,
    masterKey: randomBytes(MASTER_KEY_BYTES).toString('base64'),
  };
}

export class LocalKey implements DataKeyProvider {
  readonly keyId: string;
  readonly #masterKey: KeyObject;

  constructor(file: LocalKeyFile) {
    const parsed = localKeyFileSchema.parse(file);
    this.keyId = parsed.keyId;
    this.#masterKey = createSecretKey(Buffer.from(parsed.masterKey, 'base64'));
  }

  /** Like KMS GenerateDataKey (AES_256): 32 random bytes and their blob bound to the context. */
  generateDataKey(context: Readonly<Record<string, string>>): {
    plaintext: Uint8Array;
    ciphertextBlob: Uint8Array;
  } {
    const plaintext = new Uint8Array(randomBytes(DATA_KEY_BYTES));
    return { plaintext, ciphertextBlob: this.encrypt(plaintext, context) };
  }

  encrypt(plaintext: Uint8Array, context: Readonly<Record<string, string>>): Uint8Array {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#masterKey, iv).setAAD(canonicalContext(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return new Uint8Array(Buffer.concat([BLOB_MAGIC, iv, cipher.getAuthTag(), body]));
  }

  /** Synchronous unwrap; throws InvalidCiphertextError on a foreign, tampered or mis-bound blob. */
  decrypt(ciphertextBlob: Uint8Array, context: Readonly<Record<string, string>>): Uint8Array {
    const blob = Buffer.from(ciphertextBlob.buffer, ciphertextBlob.byteOffset, ciphertextBlob.byteLength);
    if (blob.length < HEADER_BYTES || !blob.subarray(0, BLOB_MAGIC.length).equals(BLOB_MAGIC)) {
      throw new InvalidCiphertextError('ciphertext blob is not a local key blob');
    }
    const iv = blob.subarray(BLOB_MAGIC.length, BLOB_MAGIC.length + IV_BYTES);
    const tag = blob.subarray(BLOB_MAGIC.length + IV_BYTES, HEADER_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#masterKey, iv)
        .setAAD(canonicalContext(context))
        .setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(blob.subarray(HEADER_BYTES)), decipher.final()]);
      // Own buffer: the concat result may sit in Node's shared pool.
      return new Uint8Array(plain);
    } catch {
      throw new InvalidCiphertextError(
        'ciphertext blob does not decrypt under this key and encryption context',
      );
    }
  }

  async decryptDataKey(
    ciphertextBlob: Uint8Array,
    context: Readonly<Record<string, string>>,
  ): Promise<Uint8Array> {
    return this.decrypt(ciphertextBlob, context);
  }
}

export async function loadLocalKeyFile(path: string): Promise<LocalKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const missing = err instanceof Error && 'code' in err && err.code === 'ENOENT';
    throw new LocalKeyFileError(
      missing ? `local key file not found: ${path}` : `local key file cannot be read: ${path}`,
      { cause: err },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LocalKeyFileError(`local key file is not valid JSON: ${path}`);
  }
  const parsed = localKeyFileSchema.safeParse(json);
  if (!parsed.success) {
    // Issue paths and messages only: never echo the file's values.
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new LocalKeyFileError(`local key file is invalid: ${path} (${issues})`);
  }
  return new LocalKey(parsed.data);
}

/** Loads the key file, or creates it (mode 0600, parent directories 0700) when absent. */
export async function ensureLocalKeyFile(path: string): Promise<LocalKey> {
  const file = createLocalKeyFile();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    // 'wx' never overwrites: a concurrent creator wins and we load its key instead.
    await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return new LocalKey(file);
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'EEXIST') return loadLocalKeyFile(path);
    throw new LocalKeyFileError(`local key file cannot be created: ${path}`, { cause: err });
  }
}
