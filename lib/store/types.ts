/**
 * The object store port: a local folder on a laptop, S3 in production. Keys are relative to the
 * store root and always use `/` (e.g. `activity/class=DDL/dt=2026-11-25/x.parquet`).
 */
export interface StoredObject {
  readonly key: string;
  readonly size: number;
}

export interface ObjectStore {
  /** Human-readable root (`/abs/path` or `s3://bucket/prefix`), for logs and summaries. */
  readonly root: string;
  /** Write (or overwrite) an object atomically: readers never see a partial object. */
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  /** The object's bytes, or null when it does not exist. */
  get(key: string): Promise<Uint8Array | null>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<StoredObject>;
}
