import { KMSClient } from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type KmsTestServer, startKmsServer } from '../test/servers/kms-server';
import { DasDecryptor, encryptionContextFor } from './decrypt';
import { PermanentRecordError, TransientError } from './errors';
import { sealRecord } from './generate/seal';
import { KmsDataKeyProvider } from './kms';
import { createLocalKeyFile, LocalKey } from './local-key';

const CLUSTER = 'cluster-4HNY5V4RRNPKKYB7ICFKE5JBQQ';
const CTX = encryptionContextFor(CLUSTER);
const PAYLOAD = {
  type: 'DatabaseActivityMonitoringRecord',
  databaseActivityEventList: [{ type: 'heartbeat' }],
};

describe('KmsDataKeyProvider against the KMS test server', () => {
  let key: LocalKey;
  let server: KmsTestServer;
  const clients: KMSClient[] = [];
  const clientFor = (endpoint: string, extra: Partial<ConstructorParameters<typeof KMSClient>[0]> = {}) => {
    const client = new KMSClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 2,
      ...extra,
    });
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    key = new LocalKey(createLocalKeyFile());
    server = await startKmsServer(key);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    vi.unstubAllEnvs();
    await server.close();
  });

  it('opens records with one TrentService.Decrypt per distinct key', async () => {
    // Prepare
    const first = key.generateDataKey(CTX);
    const second = key.generateDataKey(CTX);
    const records = await Promise.all(
      Array.from({ length: 6 }, (_, i) => sealRecord(PAYLOAD, i % 2 ? second : first, '1.1')),
    );
    const decryptor = new DasDecryptor(new KmsDataKeyProvider(clientFor(server.endpoint)));
    // Act
    const opened = await Promise.all(records.map((r) => decryptor.openRecord(r, CLUSTER)));
    await decryptor.openRecord(records[0] ?? '', CLUSTER);
    // Assess
    expect(opened.map((o) => o.payload)).toEqual(Array(6).fill(PAYLOAD));
    expect(server.requests).toEqual([{ target: 'TrentService.Decrypt' }, { target: 'TrentService.Decrypt' }]);
  });

  it('uses the standard AWS configuration by default (AWS_ENDPOINT_URL_KMS)', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_KMS', server.endpoint);
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    const { plaintext, ciphertextBlob } = key.generateDataKey(CTX);
    // Act
    const unwrapped = await new KmsDataKeyProvider().decryptDataKey(ciphertextBlob, CTX);
    // Assess
    expect(unwrapped).toEqual(plaintext);
    expect(server.requests).toHaveLength(1);
  });

  it('fails the batch (TransientError) when throttling outlasts the SDK retries', async () => {
    const record = await sealRecord(PAYLOAD, key.generateDataKey(CTX), '1.1');
    server.throttleNext(5);
    const decryptor = new DasDecryptor(new KmsDataKeyProvider(clientFor(server.endpoint)));
    await expect(decryptor.openRecord(record, CLUSTER)).rejects.toBeInstanceOf(TransientError);
    expect(server.requests).toHaveLength(2);
  });

  it('rides out throttling the SDK retry absorbs', async () => {
    const record = await sealRecord(PAYLOAD, key.generateDataKey(CTX), '1.1');
    server.throttleNext(1);
    const decryptor = new DasDecryptor(new KmsDataKeyProvider(clientFor(server.endpoint)));
    await expect(decryptor.openRecord(record, CLUSTER)).resolves.toMatchObject({ payload: PAYLOAD });
  });

  it('fails the batch on KMSInternalException (500)', async () => {
    const { ciphertextBlob } = key.generateDataKey(CTX);
    server.failNext(2);
    const provider = new KmsDataKeyProvider(clientFor(server.endpoint));
    await expect(provider.decryptDataKey(ciphertextBlob, CTX)).rejects.toBeInstanceOf(TransientError);
  });

  it('fails the batch when KMS is unreachable or too slow', async () => {
    // Prepare
    const { ciphertextBlob } = key.generateDataKey(CTX);
    const closed = await startKmsServer(key);
    await closed.close();
    server.delayMs = 2_000;
    const unreachable = new KmsDataKeyProvider(clientFor(closed.endpoint, { maxAttempts: 1 }));
    const slow = new KmsDataKeyProvider(
      clientFor(server.endpoint, {
        maxAttempts: 1,
        requestHandler: { requestTimeout: 100, throwOnRequestTimeout: true },
      }),
    );
    // Act + Assess
    await expect(unreachable.decryptDataKey(ciphertextBlob, CTX)).rejects.toBeInstanceOf(TransientError);
    await expect(slow.decryptDataKey(ciphertextBlob, CTX)).rejects.toBeInstanceOf(TransientError);
  });

  it('quarantines (key-decrypt-failed) on InvalidCiphertextException', async () => {
    // Prepare: a key blob made for another cluster
    const other = key.generateDataKey(encryptionContextFor('cluster-OTHER'));
    const record = await sealRecord(PAYLOAD, other, '1.1');
    const decryptor = new DasDecryptor(new KmsDataKeyProvider(clientFor(server.endpoint)));
    // Act
    const err = await decryptor.openRecord(record, CLUSTER).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(PermanentRecordError);
    expect(err).toMatchObject({ reason: 'key-decrypt-failed' });
    expect(server.requests).toHaveLength(1); // not retried
  });

  it('passes the configured key id, and quarantines a blob from another key (IncorrectKeyException)', async () => {
    const { plaintext, ciphertextBlob } = key.generateDataKey(CTX);
    const pinned = new KmsDataKeyProvider(clientFor(server.endpoint), { keyId: key.keyId });
    const wrongPin = new KmsDataKeyProvider(clientFor(server.endpoint), { keyId: `${key.keyId}-other` });
    await expect(pinned.decryptDataKey(ciphertextBlob, CTX)).resolves.toEqual(plaintext);
    await expect(wrongPin.decryptDataKey(ciphertextBlob, CTX)).rejects.toMatchObject({
      name: 'PermanentRecordError',
      reason: 'key-decrypt-failed',
    });
  });
});
