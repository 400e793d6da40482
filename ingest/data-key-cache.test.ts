import { describe, expect, it } from 'vitest';
import { DataKeyCache } from './data-key-cache';

const keyOf = (n: number): Uint8Array => new Uint8Array(32).fill(n);

/** A loader that counts its calls and resolves with key n. */
function counter() {
  const calls: string[] = [];
  const loader = (id: string, n: number) => async () => {
    calls.push(id);
    return keyOf(n);
  };
  return { calls, loader };
}

describe('DataKeyCache', () => {
  it('loads a key once and then serves it from memory', async () => {
    // Prepare
    const cache = new DataKeyCache();
    const { calls, loader } = counter();
    // Act
    const first = await cache.getOrLoad('a', loader('a', 1));
    const second = await cache.getOrLoad('a', loader('a', 1));
    // Assess
    expect(calls).toEqual(['a']);
    expect([first.loaded, second.loaded]).toEqual([true, false]);
    expect(second.key).toEqual(keyOf(1));
  });

  it('shares one in-flight load between concurrent callers', async () => {
    const cache = new DataKeyCache();
    const { calls, loader } = counter();
    const results = await Promise.all([1, 2, 3, 4].map(() => cache.getOrLoad('a', loader('a', 1))));
    expect(calls).toEqual(['a']);
    expect(results.filter((r) => r.loaded)).toHaveLength(1);
  });

  it('does not cache a failed load, and every concurrent caller sees the failure', async () => {
    // Prepare
    const cache = new DataKeyCache();
    let calls = 0;
    const failing = async (): Promise<Uint8Array> => {
      calls += 1;
      throw new Error('throttled');
    };
    // Act
    const outcomes = await Promise.allSettled([cache.getOrLoad('a', failing), cache.getOrLoad('a', failing)]);
    const retry = await cache.getOrLoad('a', async () => keyOf(2));
    // Assess
    expect(calls).toBe(1);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(retry).toEqual({ key: keyOf(2), loaded: true });
  });

  it('evicts the least recently used key beyond maxKeys', async () => {
    // Prepare
    const cache = new DataKeyCache({ maxKeys: 2 });
    const { calls, loader } = counter();
    await cache.getOrLoad('a', loader('a', 1));
    await cache.getOrLoad('b', loader('b', 2));
    await cache.getOrLoad('a', loader('a', 1)); // a is now more recent than b
    // Act
    await cache.getOrLoad('c', loader('c', 3));
    await cache.getOrLoad('a', loader('a', 1));
    await cache.getOrLoad('b', loader('b', 2));
    // Assess
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
    expect(cache.size).toBe(2);
  });

  it('reloads a key once it reaches maxAgeMs, even if used meanwhile', async () => {
    // Prepare
    let now = 1_000;
    const cache = new DataKeyCache({ maxAgeMs: 60_000, now: () => now });
    const { calls, loader } = counter();
    await cache.getOrLoad('a', loader('a', 1));
    // Act
    now += 59_999;
    await cache.getOrLoad('a', loader('a', 1));
    now += 1;
    await cache.getOrLoad('a', loader('a', 1));
    // Assess
    expect(calls).toEqual(['a', 'a']);
  });

  it('hands out isolated copies, so a caller cannot corrupt the cached key', async () => {
    // Prepare: the loader returns a view into a larger shared buffer, as SDK responses may.
    const shared = new Uint8Array(64).fill(5);
    const cache = new DataKeyCache();
    // Act
    const first = await cache.getOrLoad('a', async () => shared.subarray(16, 48));
    first.key.fill(0);
    shared.fill(0);
    const second = await cache.getOrLoad('a', async () => keyOf(9));
    // Assess
    expect(second.key).toEqual(new Uint8Array(32).fill(5));
    expect([second.key.byteOffset, second.key.buffer.byteLength]).toEqual([0, 32]);
  });

  it('rejects nonsensical bounds', () => {
    expect(() => new DataKeyCache({ maxKeys: 0 })).toThrow(RangeError);
    expect(() => new DataKeyCache({ maxAgeMs: 0 })).toThrow(RangeError);
  });
});
