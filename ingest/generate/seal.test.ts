import { gunzipSync } from 'node:zlib';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { describe, expect, it } from 'vitest';
import { encryptionContextFor } from '../decrypt';
import { createLocalKeyFile, LocalKey } from '../local-key';
import { sealRecord } from './seal';

const PAYLOAD = {
  type: 'DatabaseActivityMonitoringRecord',
  clusterId: 'cluster-ABC',
  instanceId: 'db-DEF',
  databaseActivityEventList: [{ type: 'heartbeat' }],
};

async function sealed() {
  const key = new LocalKey(createLocalKeyFile());
  const dataKey = key.generateDataKey(encryptionContextFor('cluster-ABC'));
  const text = await sealRecord(PAYLOAD, dataKey, '1.2');
  const outer: unknown = JSON.parse(text);
  const message = Buffer.from(
    typeof outer === 'object' && outer !== null && 'databaseActivityEvents' in outer
      ? String(outer.databaseActivityEvents)
      : '',
    'base64',
  );
  return { key, dataKey, text, outer, message };
}

describe('sealRecord', () => {
  it('writes the outer record with AWS field order and the key blob in base64', async () => {
    // Prepare + Act
    const { dataKey, text, outer } = await sealed();
    // Assess
    expect(Object.keys(JSON.parse(text))).toEqual(['type', 'version', 'databaseActivityEvents', 'key']);
    expect(outer).toMatchObject({
      type: 'DatabaseActivityMonitoringRecords',
      version: '1.2',
      key: Buffer.from(dataKey.ciphertextBlob).toString('base64'),
    });
  });

  it('makes a format v1 customer-authenticated message with suite 0x0378', async () => {
    const { message } = await sealed();
    expect([...message.subarray(0, 4)]).toEqual([0x01, 0x80, 0x03, 0x78]);
  });

  it('signs the message: the header carries aws-crypto-public-key, one BC/DataKey data key', async () => {
    // Prepare
    const { dataKey, message } = await sealed();
    const keyring = new RawAesKeyringNode({
      keyNamespace: 'BC',
      keyName: 'DataKey',
      unencryptedMasterKey: new Uint8Array(dataKey.plaintext),
      wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    });
    // Act
    const { plaintext, messageHeader } = await buildClient(
      CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT,
    ).decrypt(keyring, message);
    // Assess
    expect(messageHeader.suiteId).toBe(
      AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
    );
    expect(Object.keys(messageHeader.encryptionContext)).toEqual(['aws-crypto-public-key']);
    expect(messageHeader.encryptedDataKeys.map((k) => [k.providerId, k.providerInfo.slice(0, 7)])).toEqual([
      ['BC', 'DataKey'],
    ]);
    expect([...plaintext.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(JSON.parse(gunzipSync(plaintext).toString('utf8'))).toEqual(PAYLOAD);
  });

  it('produces a fresh message each time (new message id and data key wrapping)', async () => {
    const { dataKey } = await sealed();
    const [a, b] = await Promise.all([
      sealRecord(PAYLOAD, dataKey, '1.2'),
      sealRecord(PAYLOAD, dataKey, '1.2'),
    ]);
    expect(a).not.toBe(b);
  });
});
