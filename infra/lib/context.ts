import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { InfraConfigError } from './config';

/**
 * CDK context → raw deployment config: `-c config=<file.json>` (relative to the working
 * directory), then single values from `-c key=value` on top of it.
 */

/** `-c key=value` → path in the config file. */
export const CONTEXT_OVERRIDES: Record<string, readonly [string] | readonly [string, string]> = {
  stackName: ['stackName'],
  account: ['account'],
  region: ['region'],
  ingestMode: ['ingest', 'mode'],
  bucketName: ['storage', 'bucketName'],
  storePrefix: ['storage', 'prefix'],
  certificateArn: ['dashboard', 'certificateArn'],
  domainName: ['dashboard', 'domainName'],
};

const objectSchema = z.record(z.string(), z.unknown());

export function rawConfigFromContext(tryGetContext: (key: string) => unknown, cwd = process.cwd()): unknown {
  const file = tryGetContext('config');
  if (typeof file !== 'string' || file === '') {
    throw new InfraConfigError(
      'no deployment config: pass -c config=<path to config.json> (see infra/example.config.json)',
    );
  }
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InfraConfigError(`cannot read the deployment config ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InfraConfigError(`the deployment config ${path} is not valid JSON`);
  }
  const parsed = objectSchema.safeParse(json);
  if (!parsed.success) throw new InfraConfigError(`the deployment config ${path} must be a JSON object`);
  let config = parsed.data;
  for (const [key, path_] of Object.entries(CONTEXT_OVERRIDES)) {
    const value = tryGetContext(key);
    if (value !== undefined) config = setPath(config, path_, value);
  }
  return config;
}

function setPath(
  config: Record<string, unknown>,
  path: readonly [string] | readonly [string, string],
  value: unknown,
): Record<string, unknown> {
  const [head, leaf] = path;
  if (leaf === undefined) return { ...config, [head]: value };
  const inner = objectSchema.safeParse(config[head] ?? {});
  if (!inner.success) throw new InfraConfigError(`config.${head} must be an object to take -c overrides`);
  return { ...config, [head]: { ...inner.data, [leaf]: value } };
}
