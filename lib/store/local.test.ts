import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidKeyError, LocalStore } from './local';
import type { StoredObject } from './types';

async function collect(iterable: AsyncIterable<StoredObject>): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

describe('LocalStore', () => {
  let dir = '';
  let store: LocalStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dasboard-local-'));
    store = new LocalStore(join(dir, 'store'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('puts and gets bytes and strings, creating folders', async () => {
    // Act
    await store.put('activity/class=DDL/dt=2026-11-25/a.parquet', new Uint8Array([1, 2, 3]));
    await store.put('quarantine/dt=2026-11-25/q.json', '{"reason":"not-json","ü":"✓"}');
    // Assess
    expect(await store.get('activity/class=DDL/dt=2026-11-25/a.parquet')).toEqual(new Uint8Array([1, 2, 3]));
    expect(text(await store.get('quarantine/dt=2026-11-25/q.json'))).toBe('{"reason":"not-json","ü":"✓"}');
    expect(store.root).toBe(join(dir, 'store'));
  });

  it('writes again into a folder removed behind its back (the folder is made once, then remembered)', async () => {
    await store.put('access-log/dt=2026-11-25/a.parquet', 'one');
    await rm(join(dir, 'store', 'access-log'), { recursive: true });
    await store.put('access-log/dt=2026-11-25/b.parquet', 'two');
    expect(text(await store.get('access-log/dt=2026-11-25/b.parquet'))).toBe('two');
    expect(await store.get('access-log/dt=2026-11-25/a.parquet')).toBeNull();
  });

  it('a deferred put is readable when it settles and on disk after flush; a file gone meanwhile is no error', async () => {
    await store.put('access-log/dt=2026-11-25/a.parquet', 'one', 'application/octet-stream', {
      durability: 'deferred',
    });
    expect(text(await store.get('access-log/dt=2026-11-25/a.parquet'))).toBe('one');
    await store.put('access-log/dt=2026-11-25/b.parquet', 'two', undefined, { durability: 'deferred' });
    await rm(join(dir, 'store', 'access-log', 'dt=2026-11-25', 'b.parquet'));
    await store.flush();
    await store.put('access-log/dt=2026-11-25/c.parquet', 'three');
    expect(text(await store.get('access-log/dt=2026-11-25/c.parquet'))).toBe('three');
    expect((await readdir(join(dir, 'store', 'access-log', 'dt=2026-11-25'))).sort()).toEqual([
      'a.parquet',
      'c.parquet',
    ]);
  });

  it('returns null for a missing key or a folder', async () => {
    await store.put('a/b/c.json', 'x');
    expect(await store.get('a/b/missing.json')).toBeNull();
    expect(await store.get('a/b')).toBeNull();
    expect(await store.get('a/b/c.json/d')).toBeNull();
    expect(await new LocalStore(join(dir, 'nowhere')).get('x')).toBeNull();
  });

  it('overwrites an existing object', async () => {
    await store.put('k.json', 'first version, longer');
    await store.put('k.json', 'second');
    expect(text(await store.get('k.json'))).toBe('second');
    expect(await collect(store.list(''))).toEqual([{ key: 'k.json', size: 6 }]);
  });

  it('lists recursively in key order with sizes, filtered by prefix', async () => {
    // Prepare: 'a-c' sorts before 'a/b' ('-' < '/'), although folder "a" sorts before file "a-c".
    const keys = [
      'a/b',
      'a-c',
      'activity/class=DML/dt=2026-11-25/x.parquet',
      'activity/class=DDL/dt=2026-11-26/y.parquet',
    ];
    for (const key of keys) await store.put(key, key);
    await store.put('activity/class=DDL/dt=2026-11-25/z.parquet', 'zz');
    // Act
    const all = await collect(store.list(''));
    const ddl = await collect(store.list('activity/class=DDL/'));
    const partial = await collect(store.list('activity/class=D'));
    // Assess
    expect(all.map((o) => o.key)).toEqual([
      'a-c',
      'a/b',
      'activity/class=DDL/dt=2026-11-25/z.parquet',
      'activity/class=DDL/dt=2026-11-26/y.parquet',
      'activity/class=DML/dt=2026-11-25/x.parquet',
    ]);
    expect(ddl).toEqual([
      { key: 'activity/class=DDL/dt=2026-11-25/z.parquet', size: 2 },
      { key: 'activity/class=DDL/dt=2026-11-26/y.parquet', size: 42 },
    ]);
    expect(partial).toHaveLength(3);
    expect(await collect(store.list('nothing/here/'))).toEqual([]);
    expect(await collect(new LocalStore(join(dir, 'nowhere')).list(''))).toEqual([]);
  });

  it('rejects keys that could escape the root or alias another key', async () => {
    for (const key of ['', '../x', 'a/../../x', '/abs', 'a//b', 'a/./b', 'a\\b', 'a/', 'a/.x.dasboard-tmp']) {
      await expect(store.put(key, 'x'), key).rejects.toBeInstanceOf(InvalidKeyError);
    }
    await expect(store.get('../x')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(collect(store.list('../'))).rejects.toBeInstanceOf(InvalidKeyError);
  });

  it('never exposes a partial object or a temp file to concurrent readers', async () => {
    // Prepare: two 2 MB versions that differ in every byte.
    const size = 2 * 1024 * 1024;
    const versions = [new Uint8Array(size).fill(1), new Uint8Array(size).fill(2)];
    await store.put('p/big.bin', versions[0] ?? new Uint8Array());
    const seen = new Set<string>();
    let writing = true;
    // Act
    const writer = (async () => {
      for (let i = 0; i < 12; i++) await store.put('p/big.bin', versions[(i + 1) % 2] ?? new Uint8Array());
      writing = false;
    })();
    while (writing) {
      const [listed, body] = await Promise.all([collect(store.list('p/')), store.get('p/big.bin')]);
      for (const o of listed) seen.add(`${o.key}:${o.size}`);
      seen.add(`get:${body?.length}:${body?.[0]}${body?.[size - 1]}`);
    }
    await writer;
    // Assess
    expect([...seen].filter((s) => s.startsWith('p/'))).toEqual([`p/big.bin:${size}`]);
    expect([...seen].filter((s) => s.startsWith('get:')).every((s) => /^get:2097152:(11|22)$/.test(s))).toBe(
      true,
    );
    expect(await readdir(join(dir, 'store', 'p'))).toEqual(['big.bin']);
  });

  it('leaves no temp file behind when the final rename fails', async () => {
    // Prepare: a folder where the object should go makes rename fail.
    await mkdir(join(dir, 'store', 'q', 'taken'), { recursive: true });
    // Act
    const result = store.put('q/taken', 'x');
    // Assess
    await expect(result).rejects.toThrow(/cannot write q\/taken/);
    expect(await readdir(join(dir, 'store', 'q'))).toEqual(['taken']);
  });
});
