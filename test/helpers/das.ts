import { readFileSync } from 'node:fs';
import { encryptionContextFor } from '../../ingest/decrypt';
import { sealRecord } from '../../ingest/generate/seal';
import type { InputRecord } from '../../ingest/input';
import { createLocalKeyFile, LocalKey } from '../../ingest/local-key';

/** The 19 decrypted sample payloads of das-format.md §5 (all four engines). */
export function loadSamples(): Record<string, unknown>[] {
  const url = new URL('../../ingest/__fixtures__/das-samples.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>[];
}

export const newLocalKey = () => new LocalKey(createLocalKeyFile());

export const streamArn = (resourceId: string) =>
  `arn:aws:kinesis:eu-west-1:123456789012:stream/aws-rds-das-${resourceId}`;

/** Seals payloads as RDS would (one data key per `keyEvery` records) into delivery input records. */
export async function sealedInputs(
  key: LocalKey,
  resourceId: string,
  payloads: readonly unknown[],
  options: { version?: string; keyEvery?: number; idPrefix?: string } = {},
): Promise<InputRecord[]> {
  const out: InputRecord[] = [];
  let dataKey = key.generateDataKey(encryptionContextFor(resourceId));
  for (const [i, payload] of payloads.entries()) {
    if (options.keyEvery && i > 0 && i % options.keyEvery === 0) {
      dataKey = key.generateDataKey(encryptionContextFor(resourceId));
    }
    const text = await sealRecord(payload, dataKey, options.version ?? '1.1');
    out.push(textInput(text, resourceId, `${options.idPrefix ?? 'r'}${i}`));
  }
  return out;
}

export function textInput(text: string, resourceId: string, id: string): InputRecord {
  return {
    id,
    received: Buffer.from(text, 'utf8').toString('base64'),
    encoding: 'base64',
    sourceArn: streamArn(resourceId),
    arrivalMs: Date.UTC(2026, 10, 25, 12, 0, 0),
    meta: {},
  };
}
