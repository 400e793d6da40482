import 'server-only';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { generateSessionSecret, parseStoreLocation, type StoreLocation } from './env-schema';

/**
 * Server environment, parsed once at import (style rule 9). Secrets stay on the server: nothing here
 * is `NEXT_PUBLIC_*`, and no value is ever logged.
 */

const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional());

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DASBOARD_STORE: z.string().min(1).default('./data'),
    DASBOARD_ENGINE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['duckdb', 'athena']).optional()),
    DASBOARD_CONFIG: optionalText,
    DASBOARD_SESSION_SECRET: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.string().min(32, 'DASBOARD_SESSION_SECRET must be at least 32 characters').optional(),
    ),
    DASBOARD_PUBLIC_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.url({ protocol: /^https?$/, error: 'DASBOARD_PUBLIC_URL must be an http(s) URL' }).optional(),
    ),
    ATHENA_DATABASE: z.string().min(1).default('dasboard'),
    ATHENA_TABLE: z.string().min(1).default('activity'),
    ATHENA_WORKGROUP: z.string().min(1).default('primary'),
    ATHENA_OUTPUT_LOCATION: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.string().startsWith('s3://', 'ATHENA_OUTPUT_LOCATION must be an s3:// URL').optional(),
    ),
    AWS_REGION: optionalText,
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  })
  .transform((raw, ctx) => {
    let store: StoreLocation;
    try {
      store = parseStoreLocation(raw.DASBOARD_STORE);
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        path: ['DASBOARD_STORE'],
        message: err instanceof Error ? err.message : 'invalid',
      });
      return z.NEVER;
    }
    const engine = raw.DASBOARD_ENGINE ?? (store.kind === 's3' ? 'athena' : 'duckdb');
    if (engine === 'duckdb' && store.kind === 's3') {
      ctx.addIssue({
        code: 'custom',
        path: ['DASBOARD_ENGINE'],
        message: 'duckdb reads a local folder only: use DASBOARD_ENGINE=athena with an s3:// store',
      });
    }
    if (store.kind === 's3' && raw.DASBOARD_SESSION_SECRET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['DASBOARD_SESSION_SECRET'],
        message: 'DASBOARD_SESSION_SECRET is required with an s3:// store (every instance must share it)',
      });
    }
    return { ...raw, DASBOARD_ENGINE: engine, store };
  });

export type Env = z.infer<typeof envSchema>;
export type { StoreLocation };

export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvError';
  }
}

/** Parses an environment (process.env by default); throws EnvError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new EnvError(`invalid environment:\n${lines.join('\n')}`);
}

export const env: Env = parseEnv(process.env);

let sessionSecret: string | undefined;

/**
 * The session secret: DASBOARD_SESSION_SECRET, or (embedded mode only) a random one generated once
 * and kept in `<store>/.dasboard/session-secret` (mode 0600) so sessions survive restarts.
 * Lazy, so that `next build` never creates files in the store.
 */
export function getSessionSecret(): string {
  if (sessionSecret !== undefined) return sessionSecret;
  if (env.DASBOARD_SESSION_SECRET !== undefined) {
    sessionSecret = env.DASBOARD_SESSION_SECRET;
    return sessionSecret;
  }
  if (env.store.kind !== 'local') throw new EnvError('DASBOARD_SESSION_SECRET is required');
  sessionSecret = readOrCreateSecretFile(path.join(env.store.path, '.dasboard', 'session-secret'));
  return sessionSecret;
}

function readOrCreateSecretFile(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails when the file exists, so two processes starting together keep one secret.
    writeFileSync(file, generateSessionSecret(), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
  }
  chmodSync(file, 0o600);
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new EnvError(`${file}: the session secret is too short; delete the file`);
  return secret;
}
