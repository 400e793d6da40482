import { deflateSync, gzipSync } from 'node:zlib';
import {
  buildClient,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { describe, expect, it } from 'vitest';
import { DasDecryptor, type DataKeyProvider, encryptionContextFor, resourceIdFromStreamArn } from './decrypt';
import { PermanentRecordError, TransientError } from './errors';
import { type SealingKey, sealRecord } from './generate/seal';
import { createLocalKeyFile, LocalKey } from './local-key';

const CLUSTER = 'cluster-4HNY5V4RRNPKKYB7ICFKE5JBQQ';
const SECRET_SQL = "select * from payroll where ssn = '123-45-6789'";

function makePayload(events: number) {
  return {
    type: 'DatabaseActivityMonitoringRecord',
    clusterId: CLUSTER,
    instanceId: 'db-FZJTMYKCXQBUUZ6VLU7NW3ITCM',
    databaseActivityEventList: Array.from({ length: events }, (_, i) => ({
      type: 'record',
      class: 'READ',
      command: 'SELECT',
      commandText: `${SECRET_SQL} -- ${i}`,
      logTime: '2024-05-01 10:00:00.000000+00',
      statementId: i,
    })),
  };
}

/** A LocalKey behind a counter: a fake at the DataKeyProvider port. */
function countingProvider(key: LocalKey) {
  const provider = {
    calls: 0,
    async decryptDataKey(blob: Uint8Array, context: Readonly<Record<string, string>>) {
      provider.calls += 1;
      return key.decryptDataKey(blob, context);
    },
  };
  return provider;
}

const failingProvider = (err: unknown): DataKeyProvider => ({
  decryptDataKey: async () => {
    throw err;
  },
});

/** Encrypts arbitrary plaintext into an outer record, for payloads sealRecord would never make. */
async function sealBytes(plaintext: Uint8Array, key: SealingKey, policy: CommitmentPolicy): Promise<string> {
  const keyring = new RawAesKeyringNode({
    keyNamespace: 'BC',
    keyName: 'DataKey',
    unencryptedMasterKey: new Uint8Array(key.plaintext),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  const { result } = await buildClient(policy).encrypt(keyring, plaintext);
  return JSON.stringify({
    type: 'DatabaseActivityMonitoringRecords',
    version: '1.2',
    databaseActivityEvents: result.toString('base64'),
    key: Buffer.from(key.ciphertextBlob).toString('base64'),
  });
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return err instanceof PermanentRecordError ? err.reason : `not permanent: ${String(err)}`;
}

const setup = () => {
  const key = new LocalKey(createLocalKeyFile());
  const dataKey = key.generateDataKey(encryptionContextFor(CLUSTER));
  return { key, dataKey };
};

describe('DasDecryptor.openRecord', () => {
  it('opens a sealed, gzipped record', async () => {
    // Prepare
    const { key, dataKey } = setup();
    const payload = makePayload(3);
    const record = await sealRecord(payload, dataKey, '1.1');
    const decryptor = new DasDecryptor(key);
    // Act
    const opened = await decryptor.openRecord(record, CLUSTER);
    // Assess
    expect(opened).toEqual({ version: '1.1', payload });
    expect(decryptor.stats).toEqual({ kmsCalls: 1, cacheHits: 0, records: 1 });
  });

  it.each([
    ['the db-id context for a cluster key', 'db-4HNY5V4RRNPKKYB7ICFKE5JBQQ'],
    ['another cluster id', 'cluster-OTHERCLUSTERID0000000000000'],
  ])(
    'fails key-decrypt-failed with %s, even after a cache hit for the right one',
    async (_label, wrongId) => {
      const { key, dataKey } = setup();
      const record = await sealRecord(makePayload(1), dataKey, '1.1');
      const decryptor = new DasDecryptor(key);
      await decryptor.openRecord(record, CLUSTER);
      expect(await reasonOf(decryptor.openRecord(record, wrongId))).toBe('key-decrypt-failed');
    },
  );

  it('fails message-decrypt-failed when a byte of the ESDK message is flipped', async () => {
    // Prepare
    const { key, dataKey } = setup();
    const outer = JSON.parse(await sealRecord(makePayload(50), dataKey, '1.1'));
    const message = Buffer.from(outer.databaseActivityEvents, 'base64');
    const at = message.length - 150; // inside the final frame's content, before tag and signature
    message[at] = (message[at] ?? 0) ^ 0x01;
    const tampered = JSON.stringify({ ...outer, databaseActivityEvents: message.toString('base64') });
    // Act + Assess
    expect(await reasonOf(new DasDecryptor(key).openRecord(tampered, CLUSTER))).toBe(
      'message-decrypt-failed',
    );
  });

  it('fails key-decrypt-failed when the key blob is tampered with', async () => {
    const { key, dataKey } = setup();
    const blob = new Uint8Array(dataKey.ciphertextBlob);
    blob[20] = (blob[20] ?? 0) ^ 0x80;
    const record = await sealRecord(
      makePayload(1),
      { plaintext: dataKey.plaintext, ciphertextBlob: blob },
      '1.1',
    );
    expect(await reasonOf(new DasDecryptor(key).openRecord(record, CLUSTER))).toBe('key-decrypt-failed');
  });

  it('fails message-decrypt-failed when the data key is not the one the message was made with', async () => {
    const { key, dataKey } = setup();
    const other = key.generateDataKey(encryptionContextFor(CLUSTER));
    const record = await sealRecord(
      makePayload(1),
      { ...dataKey, ciphertextBlob: other.ciphertextBlob },
      '1.1',
    );
    expect(await reasonOf(new DasDecryptor(key).openRecord(record, CLUSTER))).toBe('message-decrypt-failed');
  });

  it('opens a committing message too, which is why the policy is REQUIRE_ENCRYPT_ALLOW_DECRYPT', async () => {
    // Prepare
    const { key, dataKey } = setup();
    const payload = makePayload(2);
    const committing = await sealBytes(
      gzipSync(JSON.stringify(payload)),
      dataKey,
      CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
    );
    const dasLike = JSON.parse(await sealRecord(payload, dataKey, '1.1'));
    const strict = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
    const keyring = new RawAesKeyringNode({
      keyNamespace: 'BC',
      keyName: 'DataKey',
      unencryptedMasterKey: new Uint8Array(dataKey.plaintext),
      wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    });
    // Act
    const opened = await new DasDecryptor(key).openRecord(committing, CLUSTER);
    const refusal = strict.decrypt(keyring, Buffer.from(dasLike.databaseActivityEvents, 'base64'));
    // Assess
    expect(opened.payload).toEqual(payload);
    await expect(refusal).rejects.toThrow(
      /Configuration conflict.*ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384/s,
    );
  });

  it('accepts gzip only: a zlib (deflate + zlib header) payload fails decompress-failed', async () => {
    const { key, dataKey } = setup();
    const zlibRecord = await sealBytes(
      deflateSync(JSON.stringify(makePayload(1))),
      dataKey,
      CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT,
    );
    expect(await reasonOf(new DasDecryptor(key).openRecord(zlibRecord, CLUSTER))).toBe('decompress-failed');
  });

  it('fails decompress-failed on a truncated gzip stream', async () => {
    const { key, dataKey } = setup();
    const gz = gzipSync(JSON.stringify(makePayload(5)));
    const record = await sealBytes(
      gz.subarray(0, gz.length - 20),
      dataKey,
      CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT,
    );
    expect(await reasonOf(new DasDecryptor(key).openRecord(record, CLUSTER))).toBe('decompress-failed');
  });

  it('fails payload-invalid on gzipped non-JSON, without statement text in the error', async () => {
    // Prepare
    const { key, dataKey } = setup();
    const record = await sealBytes(
      gzipSync(`{"x": ${SECRET_SQL}`),
      dataKey,
      CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT,
    );
    // Act
    const err = await new DasDecryptor(key).openRecord(record, CLUSTER).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(PermanentRecordError);
    expect(err instanceof PermanentRecordError && err.reason).toBe('payload-invalid');
    expect(JSON.stringify({ s: String(err), c: String(err instanceof Error && err.cause) })).not.toContain(
      'payroll',
    );
  });

  it.each([
    ['not-json', 'not json at all'],
    [
      'not-das-record',
      '{"type":"DatabaseActivityMonitoringRecord","version":"1.1","databaseActivityEvents":"AA==","key":"AA=="}',
    ],
    ['not-das-record', '[1,2]'],
    [
      'bad-envelope',
      '{"type":"DatabaseActivityMonitoringRecords","version":"1.1","databaseActivityEvents":"AA=="}',
    ],
    [
      'bad-envelope',
      '{"type":"DatabaseActivityMonitoringRecords","version":"1.1","databaseActivityEvents":"AA==","key":""}',
    ],
    [
      'bad-envelope',
      '{"type":"DatabaseActivityMonitoringRecords","version":"1.1","databaseActivityEvents":"A*B=","key":"AA=="}',
    ],
    [
      'bad-envelope',
      '{"type":"DatabaseActivityMonitoringRecords","version":"1.1","databaseActivityEvents":{},"key":"AA=="}',
    ],
    [
      'bad-envelope',
      '{"type":"DatabaseActivityMonitoringRecords","databaseActivityEvents":"AA==","key":"AA=="}',
    ],
  ])('quarantines %s: %s', async (reason, text) => {
    const { key } = setup();
    expect(await reasonOf(new DasDecryptor(key).openRecord(text, CLUSTER))).toBe(reason);
  });

  it('fails unknown-resource-id before calling the provider', async () => {
    const { key, dataKey } = setup();
    const provider = countingProvider(key);
    const record = await sealRecord(makePayload(1), dataKey, '1.1');
    expect(await reasonOf(new DasDecryptor(provider).openRecord(record, 'my-db-cluster'))).toBe(
      'unknown-resource-id',
    );
    expect(provider.calls).toBe(0);
  });

  it('fails key-decrypt-failed when the provider returns a key that is not 32 bytes', async () => {
    const { dataKey } = setup();
    const record = await sealRecord(makePayload(1), dataKey, '1.1');
    const shortKey: DataKeyProvider = { decryptDataKey: async () => new Uint8Array(16) };
    expect(await reasonOf(new DasDecryptor(shortKey).openRecord(record, CLUSTER))).toBe('key-decrypt-failed');
  });
});

describe('DasDecryptor key errors', () => {
  const named = (name: string) => Object.assign(new Error(`${name} from KMS`), { name });

  it.each(['InvalidCiphertextException', 'IncorrectKeyException'])('quarantines on %s', async (name) => {
    const { dataKey } = setup();
    const record = await sealRecord(makePayload(1), dataKey, '1.1');
    expect(await reasonOf(new DasDecryptor(failingProvider(named(name))).openRecord(record, CLUSTER))).toBe(
      'key-decrypt-failed',
    );
  });

  it.each([
    'ThrottlingException',
    'KMSInternalException',
    'AccessDeniedException',
    'DisabledException',
    'KMSInvalidStateException',
    'TimeoutError',
    'Error',
  ])('fails the batch (TransientError) on %s', async (name) => {
    const { dataKey } = setup();
    const record = await sealRecord(makePayload(1), dataKey, '1.1');
    const decryptor = new DasDecryptor(failingProvider(named(name)));
    await expect(decryptor.openRecord(record, CLUSTER)).rejects.toBeInstanceOf(TransientError);
  });
});

describe('DasDecryptor data-key cache', () => {
  it('calls the provider once per distinct key, sequentially and concurrently', async () => {
    // Prepare
    const { key, dataKey } = setup();
    const second = key.generateDataKey(encryptionContextFor(CLUSTER));
    const records = await Promise.all(
      Array.from({ length: 10 }, (_, i) => sealRecord(makePayload(1), i % 2 ? second : dataKey, '1.1')),
    );
    const sequential = countingProvider(key);
    const concurrent = countingProvider(key);
    const seqDecryptor = new DasDecryptor(sequential);
    const conDecryptor = new DasDecryptor(concurrent);
    // Act
    for (const r of records) await seqDecryptor.openRecord(r, CLUSTER);
    await Promise.all(records.map((r) => conDecryptor.openRecord(r, CLUSTER)));
    // Assess
    expect([sequential.calls, concurrent.calls]).toEqual([2, 2]);
    expect(seqDecryptor.stats).toEqual({ kmsCalls: 2, cacheHits: 8, records: 10 });
    expect(conDecryptor.stats).toEqual({ kmsCalls: 2, cacheHits: 8, records: 10 });
  });

  it('makes one provider call for concurrent records whose key lookup fails', async () => {
    const { dataKey } = setup();
    const record = await sealRecord(makePayload(1), dataKey, '1.1');
    let calls = 0;
    const throttled: DataKeyProvider = {
      decryptDataKey: async () => {
        calls += 1;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      },
    };
    const decryptor = new DasDecryptor(throttled);
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => decryptor.openRecord(record, CLUSTER)));
    expect(calls).toBe(1);
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason instanceof TransientError)).toBe(true);
  });

  it('honours maxKeys and maxAgeMs', async () => {
    // Prepare
    let now = 0;
    const { key, dataKey } = setup();
    const second = key.generateDataKey(encryptionContextFor(CLUSTER));
    const [a, b] = await Promise.all([dataKey, second].map((k) => sealRecord(makePayload(1), k, '1.1')));
    const provider = countingProvider(key);
    const decryptor = new DasDecryptor(provider, { maxKeys: 1, maxAgeMs: 1_000, now: () => now });
    // Act + Assess
    for (const r of [a, b, a]) await decryptor.openRecord(r ?? '', CLUSTER);
    expect(provider.calls).toBe(3); // one slot: b evicted a
    await decryptor.openRecord(a ?? '', CLUSTER);
    expect(provider.calls).toBe(3);
    now = 1_000;
    await decryptor.openRecord(a ?? '', CLUSTER);
    expect(provider.calls).toBe(4);
  });
});

describe('encryptionContextFor', () => {
  it('maps cluster- and db- prefixes to their context keys', () => {
    expect(encryptionContextFor('cluster-ABC')).toEqual({ 'aws:rds:dbc-id': 'cluster-ABC' });
    expect(encryptionContextFor('db-ABC')).toEqual({ 'aws:rds:db-id': 'db-ABC' });
  });

  it.each(['my-db-cluster', 'xcluster-ABC', 'DB-ABC', 'cluster-', ''])(
    'refuses %j (prefix, not substring)',
    (id) => {
      expect(() => encryptionContextFor(id)).toThrow(
        expect.objectContaining({ name: 'PermanentRecordError', reason: 'unknown-resource-id' }),
      );
    },
  );
});

describe('resourceIdFromStreamArn', () => {
  it.each([
    ['arn:aws:kinesis:eu-west-1:123456789012:stream/aws-rds-das-cluster-ABC', 'cluster-ABC'],
    ['arn:aws-cn:kinesis:cn-north-1:123456789012:stream/aws-rds-das-db-XYZ123', 'db-XYZ123'],
    ['aws-rds-das-cluster-4HNY5V4RRNPKKYB7ICFKE5JBQQ', 'cluster-4HNY5V4RRNPKKYB7ICFKE5JBQQ'],
    ['aws-rds-das-db-FZJTMYKCXQBUUZ6VLU7NW3ITCM', 'db-FZJTMYKCXQBUUZ6VLU7NW3ITCM'],
  ])('%s → %s', (input, expected) => {
    expect(resourceIdFromStreamArn(input)).toBe(expected);
  });

  it.each([
    'arn:aws:kinesis:eu-west-1:123456789012:stream/orders',
    'arn:aws:firehose:eu-west-1:123456789012:deliverystream/aws-rds-das-cluster-ABC',
    'my-aws-rds-das-cluster-ABC',
    'aws-rds-das-instance-ABC',
    'aws-rds-das-cluster-',
    '',
  ])('%j → null', (input) => {
    expect(resourceIdFromStreamArn(input)).toBeNull();
  });
});
