import type { ExportManifest } from '../audit/export';

/**
 * Manifests of recent exports, kept in memory so the browser can fetch the row count and SHA-256
 * after the download ends (GET /api/export/{id}/manifest). Bounded (LRU, MAX_ENTRIES) and aged
 * (TTL_MS); per server process, so a restart or another instance behind a load balancer forgets them.
 */

export type ExportStatus = 'pending' | 'complete' | 'incomplete' | 'failed';

export interface StoredExport {
  readonly exportId: string;
  /** The principal id that started the export: the only one who may read the manifest. */
  readonly owner: string;
  readonly status: ExportStatus;
  readonly manifest: ExportManifest | null;
  readonly createdAt: number;
}

export const MAX_ENTRIES = 500;
export const TTL_MS = 3_600_000;

export class ExportManifestStore {
  private readonly entries = new Map<string, StoredExport>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = MAX_ENTRIES,
    private readonly ttlMs = TTL_MS,
  ) {}

  /** Registers a started export and settles it when its manifest does. */
  track(exportId: string, owner: string, manifest: Promise<ExportManifest>): void {
    this.put({ exportId, owner, status: 'pending', manifest: null, createdAt: this.now() });
    manifest.then(
      (m) => this.settle(exportId, m.complete ? 'complete' : 'incomplete', m),
      () => this.settle(exportId, 'failed', null),
    );
  }

  /** The entry if it exists, is fresh and belongs to `owner`; anything else looks missing. */
  get(exportId: string, owner: string): StoredExport | undefined {
    const entry = this.entries.get(exportId);
    if (entry === undefined) return undefined;
    if (this.now() - entry.createdAt > this.ttlMs) {
      this.entries.delete(exportId);
      return undefined;
    }
    return entry.owner === owner ? entry : undefined;
  }

  private settle(exportId: string, status: ExportStatus, manifest: ExportManifest | null): void {
    const entry = this.entries.get(exportId);
    if (entry !== undefined) this.put({ ...entry, status, manifest });
  }

  // Map keeps insertion order: re-inserting moves an entry to the young end; the oldest goes first.
  private put(entry: StoredExport): void {
    this.entries.delete(entry.exportId);
    this.entries.set(entry.exportId, entry);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}

// Next may load a route's modules more than once per process; the store must be one per process.
const registry = globalThis as typeof globalThis & { __dasboardExportManifests?: ExportManifestStore };

export function getExportManifestStore(): ExportManifestStore {
  registry.__dasboardExportManifests ??= new ExportManifestStore();
  return registry.__dasboardExportManifests;
}
