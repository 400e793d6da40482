import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { PartitionLister, PartitionScope } from './dialect';

interface ClassListing {
  readonly at: number;
  /** `dt` values (YYYY-MM-DD) whose folder holds at least one Parquet file, sorted. */
  readonly days: readonly string[];
}

/**
 * Lists the existing `activity/class=<C>/dt=<D>/` folders of a local store within a scope. Cached
 * per class for `ttlMs`, so a busy dashboard lists each class folder at most once per interval;
 * newly ingested days appear after at most that long.
 */
export function createPartitionLister(storeRoot: string, ttlMs = 2_000, now = Date.now): PartitionLister {
  const cache = new Map<string, ClassListing>();
  const daysOf = (classDir: string): readonly string[] => {
    try {
      return readdirSync(classDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && /^dt=\d{4}-\d{2}-\d{2}$/.test(e.name))
        .filter((e) => readdirSync(path.join(classDir, e.name)).some((f) => f.endsWith('.parquet')))
        .map((e) => e.name.slice(3))
        .sort();
    } catch {
      return [];
    }
  };
  return (scope: PartitionScope) => {
    const dirs: string[] = [];
    for (const cls of scope.classes) {
      const classDir = path.join(storeRoot, 'activity', `class=${cls}`);
      let listing = cache.get(cls);
      if (!listing || now() - listing.at > ttlMs) {
        listing = { at: now(), days: daysOf(classDir) };
        cache.set(cls, listing);
      }
      for (const day of listing.days) {
        if (day >= scope.fromDay && day <= scope.toDay) dirs.push(path.join(classDir, `dt=${day}`));
      }
    }
    return dirs;
  };
}
