import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { type DataKeyProvider, toKeyError } from './decrypt';
import { TransientError } from './errors';

/**
 * Unwraps DAS data keys with KMS Decrypt. The default client takes the standard AWS configuration
 * (region, credentials, AWS_ENDPOINT_URL_KMS). Errors come out already classified: PermanentRecordError
 * ('key-decrypt-failed') for InvalidCiphertext/IncorrectKey, TransientError for everything else.
 */
export class KmsDataKeyProvider implements DataKeyProvider {
  readonly #client: KMSClient;
  readonly #keyId: string | undefined;

  constructor(client: KMSClient = new KMSClient({}), options: { keyId?: string } = {}) {
    this.#client = client;
    // Optional hardening: KMS then refuses blobs made under any other key (IncorrectKeyException).
    this.#keyId = options.keyId;
  }

  async decryptDataKey(
    ciphertextBlob: Uint8Array,
    context: Readonly<Record<string, string>>,
  ): Promise<Uint8Array> {
    try {
      const out = await this.#client.send(
        new DecryptCommand({
          CiphertextBlob: ciphertextBlob,
          EncryptionContext: { ...context },
          KeyId: this.#keyId,
        }),
      );
      if (!out.Plaintext) throw new TransientError('KMS Decrypt returned no plaintext');
      return out.Plaintext;
    } catch (err) {
      throw toKeyError(err);
    }
  }
}
