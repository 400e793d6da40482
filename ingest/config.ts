import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { type FilterRule, filterRuleSchema } from '../lib/config/schema';

/** Lambda environment, parsed once at cold start; a bad value fails fast with the variable named. */
export const ingestEnvSchema = z.object({
  DASBOARD_STORE: z.string().min(1, 'DASBOARD_STORE is required (s3://bucket/prefix or a folder)'),
  DASBOARD_CONFIG: z.string().min(1).optional(),
  DAS_RESOURCE_ID: z
    .string()
    .regex(/^(cluster|db)-[A-Za-z0-9_-]+$/, 'DAS_RESOURCE_ID must look like cluster-… or db-…')
    .optional(),
  FIREHOSE_RECORD_RESULT: z.enum(['Ok', 'Dropped']).default('Ok'),
  DAS_KMS_KEY_ARN: z.string().min(1).optional(),
  DATA_KEY_CACHE_SIZE: z.coerce.number().int().positive().default(1000),
  DATA_KEY_CACHE_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
});
export type IngestEnv = z.infer<typeof ingestEnvSchema>;

export function parseIngestEnv(env: NodeJS.ProcessEnv): IngestEnv {
  const parsed = ingestEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid ingest environment: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Only the ingest's part of the config file: its filter rules (roles and users are the app's). */
const ingestConfigSchema = z.looseObject({ filters: z.array(filterRuleSchema).default([]) });

export async function loadFilterRules(path: string | undefined): Promise<FilterRule[]> {
  if (!path) return [];
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`config file ${path} is not valid JSON`);
  }
  const parsed = ingestConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`config file ${path}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const names = new Set<string>();
  for (const rule of parsed.data.filters) {
    if (names.has(rule.name))
      throw new Error(`config file ${path}: filter rule name "${rule.name}" is used twice`);
    names.add(rule.name);
  }
  return parsed.data.filters;
}
