import {
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  InvalidCiphertextException,
  KMSClient,
  KMSInternalException,
} from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalKeyFile, LocalKey } from '../../ingest/local-key';
import { type KmsTestServer, startKmsServer } from './kms-server';

const CTX = { 'aws:rds:dbc-id': 'cluster-ABC' };

describe('startKmsServer', () => {
  let key: LocalKey;
  let server: KmsTestServer;
  let kms: KMSClient;

  beforeEach(async () => {
    key = new LocalKey(createLocalKeyFile());
    server = await startKmsServer(key);
    kms = new KMSClient({
      endpoint: server.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterEach(async () => {
    kms.destroy();
    await server.close();
  });

  it('speaks GenerateDataKey, Encrypt and Decrypt with the LocalKey behind it', async () => {
    // Act
    const generated = await kms.send(
      new GenerateDataKeyCommand({ KeyId: key.keyId, KeySpec: 'AES_256', EncryptionContext: CTX }),
    );
    const decrypted = await kms.send(
      new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, EncryptionContext: CTX }),
    );
    const encrypted = await kms.send(
      new EncryptCommand({ KeyId: key.keyId, Plaintext: new Uint8Array([1, 2, 3]), EncryptionContext: CTX }),
    );
    // Assess
    expect(generated.Plaintext?.byteLength).toBe(32);
    expect(decrypted.Plaintext).toEqual(generated.Plaintext);
    expect(decrypted.KeyId).toBe(key.keyId);
    expect([...key.decrypt(encrypted.CiphertextBlob ?? new Uint8Array(), CTX)]).toEqual([1, 2, 3]);
    expect(server.requests.map((r) => r.target)).toEqual([
      'TrentService.GenerateDataKey',
      'TrentService.Decrypt',
      'TrentService.Encrypt',
    ]);
  });

  it('decrypts a blob the LocalKey made locally', async () => {
    const { plaintext, ciphertextBlob } = key.generateDataKey(CTX);
    const out = await kms.send(
      new DecryptCommand({ CiphertextBlob: ciphertextBlob, EncryptionContext: CTX }),
    );
    expect(out.Plaintext).toEqual(plaintext);
  });

  it('answers a wrong context with InvalidCiphertextException', async () => {
    const { ciphertextBlob } = key.generateDataKey(CTX);
    const call = kms.send(
      new DecryptCommand({
        CiphertextBlob: ciphertextBlob,
        EncryptionContext: { 'aws:rds:db-id': 'cluster-ABC' },
      }),
    );
    await expect(call).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(call).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });

  it('injects throttling, then internal failures, then serves normally', async () => {
    // Prepare
    const { ciphertextBlob } = key.generateDataKey(CTX);
    const decrypt = () =>
      kms.send(new DecryptCommand({ CiphertextBlob: ciphertextBlob, EncryptionContext: CTX }));
    server.throttleNext(1);
    server.failNext(1);
    // Act + Assess
    await expect(decrypt()).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(decrypt()).rejects.toBeInstanceOf(KMSInternalException);
    await expect(decrypt()).resolves.toMatchObject({ KeyId: key.keyId });
    expect(server.requests).toHaveLength(3);
  });

  it('waits delayMs before answering', async () => {
    server.delayMs = 150;
    const started = Date.now();
    await kms.send(new GenerateDataKeyCommand({ KeyId: key.keyId, KeySpec: 'AES_256' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('refuses unknown operations and keys it does not hold', async () => {
    // Act
    const unknown = await fetch(server.endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'TrentService.ScheduleKeyDeletion',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: '{}',
    });
    const otherKey = kms.send(new GenerateDataKeyCommand({ KeyId: 'alias/other', KeySpec: 'AES_256' }));
    // Assess
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
    await expect(otherKey).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});
