/** Minimal binary min-heap keyed by a number (the simulator's open sessions / instance streams). */
export class SessionHeap<T> {
  private readonly items: T[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Smallest key, or +Infinity when empty. */
  peekKey(): number {
    return this.keys[0] ?? Number.POSITIVE_INFINITY;
  }

  push(item: T, key: number): void {
    this.items.push(item);
    this.keys.push(key);
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.keys[parent] ?? 0) <= key) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): T | undefined {
    const top = this.items[0];
    const lastItem = this.items.pop();
    const lastKey = this.keys.pop();
    if (top === undefined || lastItem === undefined || lastKey === undefined) return undefined;
    if (this.items.length === 0) return top;
    this.items[0] = lastItem;
    this.keys[0] = lastKey;
    let i = 0;
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && (this.keys[l] ?? 0) < (this.keys[m] ?? 0)) m = l;
      if (r < n && (this.keys[r] ?? 0) < (this.keys[m] ?? 0)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }

  private swap(a: number, b: number): void {
    const item = this.items[a];
    const key = this.keys[a];
    const otherItem = this.items[b];
    const otherKey = this.keys[b];
    if (item === undefined || key === undefined || otherItem === undefined || otherKey === undefined) return;
    this.items[a] = otherItem;
    this.keys[a] = otherKey;
    this.items[b] = item;
    this.keys[b] = key;
  }
}
