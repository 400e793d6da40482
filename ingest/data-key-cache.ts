/*
 * In-memory cache of unwrapped DAS data keys: bounded LRU with an age limit, and de-duplication of
 * concurrent lookups so a warm container makes at most one KMS call per distinct key. Plaintext
 * keys live only here, never on disk or in logs.
 */

export const DEFAULT_MAX_KEYS = 1000;
export const DEFAULT_MAX_AGE_MS = 10 * 60_000;

export interface DataKeyCacheOptions {
  /** Most keys kept; the least recently used is evicted beyond it. */
  maxKeys?: number;
  /** A key older than this (since it was unwrapped) is unwrapped again. */
  maxAgeMs?: number;
  now?: () => number;
}

export interface DataKeyLookup {
  /** A private copy of the key (an isolated buffer, safe to hand to a keyring). */
  key: Uint8Array;
  /** True when this lookup called the loader; false on a cache hit or a joined in-flight load. */
  loaded: boolean;
}

interface Entry {
  key: Uint8Array;
  storedAt: number;
}

export class DataKeyCache {
  readonly #maxKeys: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Promise<Uint8Array>>();

  constructor(options: DataKeyCacheOptions = {}) {
    this.#maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.#now = options.now ?? Date.now;
    if (!Number.isInteger(this.#maxKeys) || this.#maxKeys < 1) throw new RangeError('maxKeys must be ≥ 1');
    if (!(this.#maxAgeMs > 0)) throw new RangeError('maxAgeMs must be > 0');
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Returns the cached key for `id`, or runs `load` once (shared by concurrent callers) and caches it. */
  async getOrLoad(id: string, load: () => Promise<Uint8Array>): Promise<DataKeyLookup> {
    const cached = this.#fresh(id);
    if (cached) return { key: new Uint8Array(cached), loaded: false };
    const pending = this.#inFlight.get(id);
    if (pending) return { key: new Uint8Array(await pending), loaded: false };
    const loading = this.#load(id, load);
    this.#inFlight.set(id, loading);
    try {
      return { key: new Uint8Array(await loading), loaded: true };
    } finally {
      this.#inFlight.delete(id);
    }
  }

  /** Drops every key (references only: a caller may still be using a copy). */
  clear(): void {
    this.#entries.clear();
  }

  #fresh(id: string): Uint8Array | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    if (this.#now() - entry.storedAt >= this.#maxAgeMs) return undefined;
    this.#entries.set(id, entry); // re-insert: Map order is the LRU order
    return entry.key;
  }

  async #load(id: string, load: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const loaded = await load();
    // Own copy: the SDK's Plaintext may be a view into a larger shared buffer.
    const key = new Uint8Array(loaded);
    this.#entries.set(id, { key, storedAt: this.#now() });
    while (this.#entries.size > this.#maxKeys) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    return key;
  }
}
