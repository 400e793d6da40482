import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Pure helpers of lib/env.ts (no `server-only`), so the CLI and tests can use them. */

export type StoreLocation =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

/** `./data`, `/abs/path`, `file:///abs/path` → local folder (absolute); `s3://bucket/prefix` → S3. */
export function parseStoreLocation(value: string): StoreLocation {
  if (value.startsWith('s3://')) {
    const rest = value.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new Error(`DASBOARD_STORE: "${bucket}" is not a valid S3 bucket name`);
    }
    return { kind: 's3', bucket, prefix };
  }
  const folder = value.startsWith('file://') ? fileURLToPath(value) : value;
  return { kind: 'local', path: path.resolve(folder) };
}

/** 32 random bytes, base64url: the format of a generated DASBOARD_SESSION_SECRET. */
export function generateSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}
