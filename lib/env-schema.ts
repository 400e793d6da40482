import { randomBytes } from 'node:crypto';
import { parseStoreUrl } from './store/index';

/** Pure helpers of lib/env.ts (no `server-only`), so the CLI and tests can use them. */

export type StoreLocation =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

/** `./data`, `/abs/path`, `file:///abs/path` → local folder (absolute); `s3://bucket/prefix` → S3. */
export function parseStoreLocation(value: string): StoreLocation {
  const location = parseStoreUrl(value);
  return location.kind === 'local' ? { kind: 'local', path: location.dir } : location;
}

/** 32 random bytes, base64url: the format of a generated DASBOARD_SESSION_SECRET. */
export function generateSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}
