/**
 * The object store port: a local folder on a laptop, S3 in production. Keys are relative to the
 * store root and always use `/` (e.g. `activity/class=DDL/dt=2026-11-25/x.parquet`).
 */
export interface StoredObject {
  readonly key: string;
  readonly size: number;
}

export interface PutOptions {
  /**
   * `sync` (default): on disk when the promise settles. `deferred`: stored and readable when it
   * settles (a crash of the process cannot lose it) and forced to disk right after, so only a power
   * loss in that moment can; a store whose writes are durable anyway (S3) treats both alike.
   */
  readonly durability?: 'sync' | 'deferred';
}

export interface ObjectStore {
  /** Human-readable root (`/abs/path` or `s3://bucket/prefix`), for logs and summaries. */
  readonly root: string;
  /** Write (or overwrite) an object atomically: readers never see a partial object. */
  put(key: string, body: Uint8Array | string, contentType?: string, options?: PutOptions): Promise<void>;
  /** The object's bytes, or null when it does not exist. */
  get(key: string): Promise<Uint8Array | null>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<StoredObject>;
}
