import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { DAS_KEY_NAME, DAS_KEY_NAMESPACE, DAS_RECORDS_TYPE } from '../decrypt';

/** A data key as KMS GenerateDataKey returns it: the plaintext and its encrypted blob. */
export interface SealingKey {
  plaintext: Uint8Array;
  ciphertextBlob: Uint8Array;
}

// Suite 0x0378 is non-committing, which only a FORBID_ENCRYPT_* policy may produce.
const esdk = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
const gzipAsync = promisify(gzip);

/**
 * What RDS does to a batch of activity events: gzip the payload JSON, encrypt it as an Encryption
 * SDK message (raw AES keyring BC/DataKey, signed suite 0x0378, message format v1) and wrap it in
 * the outer record JSON, fields in AWS's order.
 */
export async function sealRecord(payload: unknown, key: SealingKey, version: string): Promise<string> {
  const gzipped = await gzipAsync(Buffer.from(JSON.stringify(payload), 'utf8'));
  const keyring = new RawAesKeyringNode({
    keyNamespace: DAS_KEY_NAMESPACE,
    keyName: DAS_KEY_NAME,
    // Isolated copy: the keyring refuses a key that shares a larger buffer.
    unencryptedMasterKey: new Uint8Array(key.plaintext),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  const { result } = await esdk.encrypt(keyring, gzipped, {
    suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
  });
  return JSON.stringify({
    type: DAS_RECORDS_TYPE,
    version,
    databaseActivityEvents: result.toString('base64'),
    key: Buffer.from(key.ciphertextBlob).toString('base64'),
  });
}
