import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { InvalidCiphertextError, type LocalKey } from '../../ingest/local-key';

/*
 * KMS-protocol HTTP server for integration tests: AWS JSON 1.1 (`X-Amz-Target: TrentService.*`,
 * base64 blobs), backed by a LocalKey, so the real @aws-sdk/client-kms (dummy credentials,
 * AWS_ENDPOINT_URL_KMS or `endpoint`) decrypts blobs the LocalKey made. Signatures are not checked.
 */

export interface KmsTestServer {
  endpoint: string;
  /** Every request received, in order (including the ones answered with an injected fault). */
  requests: { target: string }[];
  /** The next n requests get 400 ThrottlingException. */
  throttleNext(n: number): void;
  /** The next n requests get 500 KMSInternalException. */
  failNext(n: number): void;
  /** Wait this long before answering each request. */
  delayMs: number;
  close(): Promise<void>;
}

class KmsFault extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'KmsFault';
  }
}

const b64 = z.string().transform((s) => new Uint8Array(Buffer.from(s, 'base64')));
const context = z.record(z.string(), z.string()).optional();
const decryptInput = z.object({
  CiphertextBlob: b64,
  EncryptionContext: context,
  KeyId: z.string().optional(),
});
const encryptInput = z.object({ KeyId: z.string(), Plaintext: b64, EncryptionContext: context });
const generateDataKeyInput = z.object({
  KeyId: z.string(),
  EncryptionContext: context,
  KeySpec: z.enum(['AES_256', 'AES_128']).optional(),
  NumberOfBytes: z.number().int().min(1).max(1024).optional(),
});

const toB64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

function parseInput<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new KmsFault('ValidationException', 400, 'request parameters are invalid');
  return parsed.data;
}

function checkKeyId(key: LocalKey, keyId: string | undefined): void {
  if (keyId !== undefined && keyId !== key.keyId) {
    throw new KmsFault('NotFoundException', 400, `key ${keyId} does not exist`);
  }
}

function handle(key: LocalKey, target: string, body: unknown): Record<string, unknown> {
  switch (target) {
    case 'TrentService.Decrypt': {
      const input = parseInput(decryptInput, body);
      if (input.KeyId !== undefined && input.KeyId !== key.keyId) {
        throw new KmsFault('IncorrectKeyException', 400, 'the key ID does not match the ciphertext');
      }
      const plaintext = key.decrypt(input.CiphertextBlob, input.EncryptionContext ?? {});
      return { KeyId: key.keyId, Plaintext: toB64(plaintext), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    }
    case 'TrentService.Encrypt': {
      const input = parseInput(encryptInput, body);
      checkKeyId(key, input.KeyId);
      const blob = key.encrypt(input.Plaintext, input.EncryptionContext ?? {});
      return { KeyId: key.keyId, CiphertextBlob: toB64(blob), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    }
    case 'TrentService.GenerateDataKey': {
      const input = parseInput(generateDataKeyInput, body);
      checkKeyId(key, input.KeyId);
      const bytes = input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32);
      const plaintext = new Uint8Array(randomBytes(bytes));
      const blob = key.encrypt(plaintext, input.EncryptionContext ?? {});
      return { KeyId: key.keyId, CiphertextBlob: toB64(blob), Plaintext: toB64(plaintext) };
    }
    default:
      throw new KmsFault('UnknownOperationException', 400, 'unknown operation');
  }
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, errorType?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  res.writeHead(status, headers).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export async function startKmsServer(key: LocalKey): Promise<KmsTestServer> {
  let throttle = 0;
  let fail = 0;
  const requests: { target: string }[] = [];

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const header = req.headers['x-amz-target'];
    const target = typeof header === 'string' ? header : '';
    requests.push({ target });
    const text = await readBody(req);
    if (server.delayMs > 0) await sleep(server.delayMs);
    try {
      if (throttle > 0) {
        throttle -= 1;
        throw new KmsFault('ThrottlingException', 400, 'Rate exceeded');
      }
      if (fail > 0) {
        fail -= 1;
        throw new KmsFault('KMSInternalException', 500, 'internal error (injected)');
      }
      let body: unknown;
      try {
        body = JSON.parse(text || '{}');
      } catch {
        throw new KmsFault('SerializationException', 400, 'request body is not JSON');
      }
      send(res, 200, handle(key, target, body));
    } catch (err) {
      const fault =
        err instanceof KmsFault
          ? err
          : err instanceof InvalidCiphertextError
            ? new KmsFault(
                'InvalidCiphertextException',
                400,
                'ciphertext does not decrypt under this context',
              )
            : new KmsFault('KMSInternalException', 500, 'internal error');
      send(res, fault.status, { __type: fault.type, message: fault.message }, fault.type);
    }
  };

  const http = createServer((req, res) => {
    answer(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  if (!address || typeof address === 'string') throw new Error('KMS test server did not bind a TCP port');
  const { port } = address;

  const server: KmsTestServer = {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    throttleNext: (n) => {
      throttle = n;
    },
    failNext: (n) => {
      fail = n;
    },
    delayMs: 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.close((err) => (err ? reject(err) : resolve()));
        // The SDK keeps connections alive; without this, close() waits for them to time out.
        http.closeAllConnections();
      }),
  };
  return server;
}
