import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLocalKeyFile,
  ensureLocalKeyFile,
  InvalidCiphertextError,
  LocalKey,
  LocalKeyFileError,
  loadLocalKeyFile,
} from './local-key';

const CTX = { 'aws:rds:dbc-id': 'cluster-ABC' };

describe('LocalKey', () => {
  it('generates a 32-byte data key whose blob unwraps under the same context', async () => {
    // Prepare
    const key = new LocalKey(createLocalKeyFile());
    // Act
    const { plaintext, ciphertextBlob } = key.generateDataKey(CTX);
    const unwrapped = await key.decryptDataKey(ciphertextBlob, { ...CTX });
    // Assess
    expect(plaintext.byteLength).toBe(32);
    expect(Buffer.from(unwrapped).equals(Buffer.from(plaintext))).toBe(true);
    expect(Buffer.from(ciphertextBlob).includes(Buffer.from(plaintext))).toBe(false);
  });

  it('binds the blob to the context regardless of key order', () => {
    const key = new LocalKey(createLocalKeyFile());
    const blob = key.encrypt(new Uint8Array([1, 2, 3]), { a: '1', b: '2' });
    expect([...key.decrypt(blob, { b: '2', a: '1' })]).toEqual([1, 2, 3]);
  });

  it.each([
    ['another key name', { 'aws:rds:db-id': 'cluster-ABC' }],
    ['another value', { 'aws:rds:dbc-id': 'cluster-XYZ' }],
    ['an extra pair', { ...CTX, extra: 'x' }],
    ['an empty context', {}],
  ])('refuses %s like KMS InvalidCiphertextException', async (_label, context) => {
    const key = new LocalKey(createLocalKeyFile());
    const { ciphertextBlob } = key.generateDataKey(CTX);
    await expect(key.decryptDataKey(ciphertextBlob, context)).rejects.toBeInstanceOf(InvalidCiphertextError);
  });

  it('refuses a tampered blob, a foreign key and garbage', () => {
    const key = new LocalKey(createLocalKeyFile());
    const other = new LocalKey(createLocalKeyFile());
    const { ciphertextBlob } = key.generateDataKey(CTX);
    const tampered = new Uint8Array(ciphertextBlob);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x01;
    expect(() => key.decrypt(tampered, CTX)).toThrow(InvalidCiphertextError);
    expect(() => other.decrypt(ciphertextBlob, CTX)).toThrow(InvalidCiphertextError);
    expect(() => key.decrypt(new Uint8Array([1, 2, 3]), CTX)).toThrow(InvalidCiphertextError);
  });

  it('returns an isolated buffer (ESDK keyrings refuse shared ones)', () => {
    const key = new LocalKey(createLocalKeyFile());
    const { ciphertextBlob } = key.generateDataKey(CTX);
    const plain = key.decrypt(ciphertextBlob, CTX);
    expect(plain.byteOffset).toBe(0);
    expect(plain.buffer.byteLength).toBe(32);
  });
});

describe('local key files', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dasboard-local-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a 0600 file once and loads the same key afterwards', async () => {
    // Prepare
    const path = join(dir, 'nested', 'local-key.json');
    // Act
    const created = await ensureLocalKeyFile(path);
    const blob = created.encrypt(new Uint8Array([9, 8, 7]), CTX);
    const loaded = await ensureLocalKeyFile(path);
    // Assess
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(loaded.keyId).toBe(created.keyId);
    expect([...loaded.decrypt(blob, CTX)]).toEqual([9, 8, 7]);
    const file: unknown = JSON.parse(await readFile(path, 'utf8'));
    expect(file).toMatchObject({ version: 1, keyId: created.keyId });
  });

  it('reports a missing file by path', async () => {
    const path = join(dir, 'absent.json');
    await expect(loadLocalKeyFile(path)).rejects.toThrow(
      new LocalKeyFileError(`local key file not found: ${path}`),
    );
  });

  it('reports invalid JSON', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{not json');
    await expect(loadLocalKeyFile(path)).rejects.toThrow(/not valid JSON/);
  });

  it('reports a short master key without echoing it', async () => {
    // Prepare
    const path = join(dir, 'short.json');
    const masterKey = Buffer.alloc(16, 7).toString('base64');
    await writeFile(path, JSON.stringify({ version: 1, keyId: 'k', masterKey }));
    // Act
    const err = await loadLocalKeyFile(path).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(LocalKeyFileError);
    expect(String(err)).toMatch(/masterKey: must be base64 of 32 bytes/);
    expect(String(err)).not.toContain(masterKey);
  });
});
