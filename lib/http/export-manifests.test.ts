import { describe, expect, it } from 'vitest';
import type { ExportManifest } from '../audit/export';
import { ExportManifestStore } from './export-manifests';

const manifest = (complete: boolean): ExportManifest => ({
  rowCount: 3,
  bytes: 120,
  sha256: 'ab'.repeat(32),
  complete,
  requester: 'local:ann',
  roles: ['auditor'],
  format: 'csv',
  query: { q: '' },
  columns: ['event_id'],
  startedAt: '2026-01-10T00:00:00.000Z',
  finishedAt: '2026-01-10T00:00:01.000Z',
});

describe('ExportManifestStore', () => {
  it('is pending until the manifest settles, then complete', async () => {
    // Prepare
    const store = new ExportManifestStore();
    let resolve: (m: ExportManifest) => void = () => {};
    store.track('e1', 'local:ann', new Promise((r) => (resolve = r)));
    // Act
    const before = store.get('e1', 'local:ann');
    resolve(manifest(true));
    await Promise.resolve();
    // Assess
    expect(before?.status).toBe('pending');
    expect(store.get('e1', 'local:ann')).toMatchObject({ status: 'complete', manifest: { rowCount: 3 } });
  });

  it('reports a cancelled download as incomplete and a failed one as failed', async () => {
    const store = new ExportManifestStore();
    store.track('cut', 'u', Promise.resolve(manifest(false)));
    store.track('bad', 'u', Promise.reject(new Error('engine')));
    await new Promise((r) => setTimeout(r, 0));
    expect(store.get('cut', 'u')?.status).toBe('incomplete');
    expect(store.get('bad', 'u')).toMatchObject({ status: 'failed', manifest: null });
  });

  it('hides an entry from anyone but its owner', () => {
    const store = new ExportManifestStore();
    store.track('e1', 'local:ann', Promise.resolve(manifest(true)));
    expect(store.get('e1', 'local:bob')).toBeUndefined();
    expect(store.get('e1', 'local:ann')).toBeDefined();
  });

  it('forgets the oldest entry beyond its bound and entries past their age', () => {
    let now = 0;
    const store = new ExportManifestStore(() => now, 2, 1000);
    for (const id of ['a', 'b', 'c']) store.track(id, 'u', new Promise(() => {}));
    expect(store.get('a', 'u')).toBeUndefined();
    expect(store.get('c', 'u')).toBeDefined();
    now = 1001;
    expect(store.get('c', 'u')).toBeUndefined();
  });
});
