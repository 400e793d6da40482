import { describe, expect, it } from 'vitest';
import { hash32, Rng, WeightedPicker } from './random';

describe('Rng', () => {
  it('repeats a sequence for the same seed and stream, and differs otherwise', () => {
    const draw = (seed: number, stream: number) => {
      const rng = new Rng(seed, stream);
      return Array.from({ length: 8 }, () => rng.u32());
    };
    expect(draw(1, 0)).toEqual(draw(1, 0));
    expect(draw(1, 1)).not.toEqual(draw(1, 0));
    expect(draw(2, 0)).not.toEqual(draw(1, 0));
  });

  it('draws integers inclusively and uniformly enough', () => {
    const rng = new Rng(7);
    const counts = new Map<number, number>();
    for (let i = 0; i < 60_000; i += 1) {
      const v = rng.int(1, 6);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const n of counts.values()) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  it('formats ids like AWS and RFC 4122', () => {
    const rng = new Rng(3);
    expect(rng.base32(26)).toMatch(/^[A-Z2-7]{26}$/);
    expect(rng.hex(32)).toMatch(/^[0-9a-f]{32}$/);
    expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rng.digits(10)).toMatch(/^\d{10}$/);
  });
});

describe('WeightedPicker', () => {
  it('picks in proportion to the weights and never a zero weight', () => {
    const picker = new WeightedPicker([
      ['a', 1],
      ['b', 3],
      ['never', 0],
    ]);
    const rng = new Rng(5);
    const counts = new Map<string, number>();
    for (let i = 0; i < 40_000; i += 1) {
      const v = picker.pick(rng);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect(counts.has('never')).toBe(false);
    expect((counts.get('b') ?? 0) / 40_000).toBeCloseTo(0.75, 1);
  });

  it('refuses a list without positive weights', () => {
    expect(() => new WeightedPicker([['x', 0]])).toThrow(RangeError);
  });
});

describe('hash32', () => {
  it('is stable (FNV-1a)', () => {
    expect(hash32('')).toBe(0x811c9dc5);
    expect(hash32('a')).toBe(0xe40c292c);
  });
});
