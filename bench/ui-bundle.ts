/**
 * First-load JS per page (issue 5): from the production build's manifests, the JavaScript a browser
 * fetches to show each page the first time, summed raw and gzip-compressed (level 9, like
 * gzip-size and Next's build table). A page's first load is the root main files (build-manifest
 * rootMainFiles: runtime and framework) plus the entry chunks of every layout, error and not-found
 * boundary and the page itself on its path (the route's client reference manifest, `entryJSFiles`);
 * global-error is left out (fetched only when shown). Checked against Chromium's script requests
 * (7 Dec 2026): the same set for /sign-in; for the dashboard pages one chunk more (3 KiB gzip,
 * next/link for the root not-found), which Chromium skips since the layout's chunk holds that module.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { ensureBuild, PACKAGE_ROOT } from '../lib/cli/serve';
import { printTable } from './util';

const NEXT_DIR = path.join(PACKAGE_ROOT, '.next');
const ON_DEMAND = /\/(global-error|forbidden|unauthorized)$/;

const buildManifestSchema = z.object({ rootMainFiles: z.array(z.string()) });
const routesSchema = z.record(z.string(), z.string());
const clientManifestSchema = z.object({ entryJSFiles: z.record(z.string(), z.array(z.string())) });

export interface PageBundle {
  readonly route: string;
  readonly files: number;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  /** of which: chunks beyond the base every page loads (framework, runtime, root layout) */
  readonly ownGzipBytes: number;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(NEXT_DIR, file), 'utf8'));

/** Evaluates `page_client-reference-manifest.js` (it assigns globalThis.__RSC_MANIFEST[entry]). */
function clientManifest(entry: string): z.infer<typeof clientManifestSchema> {
  const file = path.join(NEXT_DIR, 'server', 'app', `${entry}_client-reference-manifest.js`);
  const sandbox: { __RSC_MANIFEST?: Record<string, unknown> } = {};
  runInNewContext(readFileSync(file, 'utf8'), { globalThis: sandbox });
  return clientManifestSchema.parse(sandbox.__RSC_MANIFEST?.[entry]);
}

/** The chunks (paths under .next/) a page entry such as `/(dashboard)/activity/page` loads first. */
export function firstLoadFiles(entry: string, rootMainFiles: readonly string[]): string[] {
  const segments = Object.entries(clientManifest(entry).entryJSFiles)
    .filter(([key]) => !ON_DEMAND.test(key))
    .flatMap(([, files]) => files);
  return [...new Set([...rootMainFiles, ...segments])].filter((f) => f.endsWith('.js'));
}

export function measurePageBundles(): PageBundle[] {
  const { rootMainFiles } = buildManifestSchema.parse(readJson('build-manifest.json'));
  const routes = routesSchema.parse(readJson('app-path-routes-manifest.json'));
  const sizes = new Map<string, { raw: number; gzip: number }>();
  const sizeOf = (file: string) => {
    let s = sizes.get(file);
    if (s === undefined) {
      const body = readFileSync(path.join(NEXT_DIR, file));
      s = { raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
      sizes.set(file, s);
    }
    return s;
  };
  const pages = Object.entries(routes).filter(
    ([entry, route]) => entry.endsWith('/page') && !route.startsWith('/_'),
  );
  const perPage = pages.map(([entry, route]) => ({ route, files: firstLoadFiles(entry, rootMainFiles) }));
  const shared = perPage.reduce<Set<string>>(
    (acc, p) => new Set(p.files.filter((f) => acc.has(f))),
    new Set(perPage[0]?.files ?? []),
  );
  const sum = (files: readonly string[], key: 'raw' | 'gzip') =>
    files.reduce((total, f) => total + sizeOf(f)[key], 0);
  return perPage
    .map(({ route, files }) => ({
      route,
      files: files.length,
      rawBytes: sum(files, 'raw'),
      gzipBytes: sum(files, 'gzip'),
      ownGzipBytes: sum(
        files.filter((f) => !shared.has(f)),
        'gzip',
      ),
    }))
    .sort((a, b) => a.route.localeCompare(b.route));
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

export async function benchUiBundle(): Promise<Record<string, number | string>> {
  await ensureBuild((line) => process.stderr.write(`[ui-bundle] ${line}\n`));
  if (!existsSync(path.join(NEXT_DIR, 'build-manifest.json')))
    throw new Error('no production build in .next');
  const pages = measurePageBundles();
  const base = Math.min(...pages.map((p) => p.gzipBytes - p.ownGzipBytes));
  const rows: Record<string, number | string> = { 'shared base (every page) gzip KiB': kb(base) };
  for (const p of pages) {
    rows[`${p.route} first-load JS gzip KiB`] = kb(p.gzipBytes);
    rows[`${p.route} beyond the shared base gzip KiB`] = kb(p.ownGzipBytes);
    rows[`${p.route} raw KiB (files)`] = `${kb(p.rawBytes)} (${p.files})`;
  }
  printTable('UI first-load JS per page (production build, gzip -9)', rows);
  return rows;
}
