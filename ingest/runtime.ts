import { KMSClient } from '@aws-sdk/client-kms';
import { openStore, parseStoreUrl } from '../lib/store/index';
import { type IngestEnv, loadFilterRules, parseIngestEnv } from './config';
import { DasDecryptor } from './decrypt';
import { compileFilters } from './filters';
import { KmsDataKeyProvider } from './kms';
import type { PipelineDeps } from './pipeline';

export interface IngestRuntime {
  readonly env: IngestEnv;
  readonly deps: PipelineDeps;
}

/**
 * Built once per warm container: the data-key cache lives as long as the container, so there is at
 * most one KMS call per distinct data key per container (within the cache's size and age bounds).
 */
export async function createRuntime(env: NodeJS.ProcessEnv = process.env): Promise<IngestRuntime> {
  const parsed = parseIngestEnv(env);
  const filter = compileFilters(await loadFilterRules(parsed.DASBOARD_CONFIG));
  const provider = new KmsDataKeyProvider(new KMSClient({}), { keyId: parsed.DAS_KMS_KEY_ARN });
  const decryptor = new DasDecryptor(provider, {
    maxKeys: parsed.DATA_KEY_CACHE_SIZE,
    maxAgeMs: parsed.DATA_KEY_CACHE_TTL_SECONDS * 1000,
  });
  return {
    env: parsed,
    deps: {
      store: openStore(parseStoreUrl(parsed.DASBOARD_STORE)),
      decryptor,
      filter,
      resourceIdOverride: parsed.DAS_RESOURCE_ID ?? null,
    },
  };
}
