import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { LocalStore } from './local';
import { S3Store } from './s3';
import type { ObjectStore } from './types';

export { LocalStore } from './local';
export { S3Store } from './s3';
export type { ObjectStore, StoredObject } from './types';

export type StoreLocation = { kind: 'local'; dir: string } | { kind: 's3'; bucket: string; prefix: string };

export const DEFAULT_STORE_DIR = './data';

export class InvalidStoreUrlError extends Error {
  constructor(value: string, why: string) {
    super(`invalid store location ${JSON.stringify(value)}: ${why}`);
    this.name = 'InvalidStoreUrlError';
  }
}

// S3's rules for new buckets: 3–63 chars of a-z, 0-9, '.', '-', starting and ending alphanumeric.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function parseS3Url(value: string): StoreLocation {
  const rest = value.slice('s3://'.length);
  if (/[?#]/.test(rest)) throw new InvalidStoreUrlError(value, 'query strings and fragments are not allowed');
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  if (bucket === '') throw new InvalidStoreUrlError(value, 'missing bucket (expected s3://bucket/prefix)');
  if (!BUCKET_NAME.test(bucket))
    throw new InvalidStoreUrlError(value, `"${bucket}" is not a valid S3 bucket name`);
  const segments =
    slash === -1
      ? []
      : rest
          .slice(slash + 1)
          .split('/')
          .filter(Boolean);
  if (segments.some((s) => s === '.' || s === '..')) {
    throw new InvalidStoreUrlError(value, '"." and ".." are not allowed in the prefix');
  }
  return { kind: 's3', bucket, prefix: segments.join('/') };
}

function parseFileUrl(value: string): StoreLocation {
  try {
    return { kind: 'local', dir: fileURLToPath(value) };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new InvalidStoreUrlError(
      value,
      `not an absolute file URL (${why}); use file:///abs/path or a plain path`,
    );
  }
}

/**
 * `DASBOARD_STORE` → where the store lives: unset or empty → `./data`; a plain path or `file:///…`
 * → a local folder (resolved against the working directory); `s3://bucket[/prefix]` → S3 (prefix
 * without leading or trailing slashes). Anything else throws InvalidStoreUrlError.
 */
export function parseStoreUrl(value: string | undefined): StoreLocation {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return { kind: 'local', dir: resolve(DEFAULT_STORE_DIR) };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  const hasAuthority = scheme !== undefined && trimmed.slice(scheme.length).startsWith('://');
  if (scheme === 's3') {
    if (!hasAuthority) throw new InvalidStoreUrlError(trimmed, 'expected s3://bucket/prefix');
    return parseS3Url(trimmed);
  }
  if (scheme === 'file') {
    if (!hasAuthority) throw new InvalidStoreUrlError(trimmed, 'expected file:///abs/path (or a plain path)');
    return parseFileUrl(trimmed);
  }
  // A single letter before ':' is a Windows drive; anything longer followed by '://' is a URL.
  if (hasAuthority && scheme.length > 1) {
    throw new InvalidStoreUrlError(trimmed, `unsupported scheme "${scheme}" (use a path, file:// or s3://)`);
  }
  return { kind: 'local', dir: resolve(trimmed) };
}

/** The ObjectStore for a location; `s3Client` overrides the default SDK client (tests, custom config). */
export function openStore(location: StoreLocation, options: { s3Client?: S3Client } = {}): ObjectStore {
  switch (location.kind) {
    case 'local':
      return new LocalStore(location.dir);
    case 's3':
      return new S3Store(location.bucket, location.prefix, options.s3Client);
  }
}

/** The URL form of a location (inverse of parseStoreUrl for s3, an absolute path for folders). */
export function formatStoreLocation(location: StoreLocation): string {
  if (location.kind === 'local') return location.dir;
  return `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
}
