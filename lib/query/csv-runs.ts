import { type FileHandle, open } from 'node:fs/promises';

/**
 * A sorted CSV export without a sort. The engine writes the matching rows unsorted, in the order
 * its files hold them, each line led by two sort-key cells: `<event_time as µs since the epoch>,
 * <event_id's bytes in hex>,<the export's cells…>\r\n` (hex sorts as the id's bytes do, as SQL
 * compares text; a quoted id cell is read too, compared as written). Activity files are written
 * sorted by (event_time, event_id), so that output is a few long ascending runs (about one per
 * file or row group). `indexCsvRuns` reads the file once, finds every line (RFC 4180 quoting, so a
 * statement's own line breaks stay inside its cell) and cuts it wherever the key goes down: the
 * runs are checked, never assumed, so a store whose files are not sorted only makes more runs
 * (or, past `maxRuns`, no index, and the caller sorts in the engine instead). `mergeCsvRuns` then
 * streams the lines of all runs in key order with the two key cells cut off: a k-way merge over
 * positional reads, its memory one read buffer per run. Both passes read the file from the page
 * cache; the engine only scans and writes.
 */

const CHUNK_BYTES = 1 << 20;
const OUT_BYTES = 256 << 10;
/** Read buffers of the merge together stay around this size (bounded per run below). */
const MERGE_BUFFER_BYTES = 4 << 20;
const MIN_RUN_BUFFER = 16 << 10;
const MAX_RUN_BUFFER = 1 << 20;
/** Digits of the key cell: µs since the epoch stays an exact double up to 2^53 (year 2255). */
const MAX_KEY_DIGITS = 16;
const MAX_PREFIX_BYTES = 0xffff;

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

export interface CsvRunIndex {
  readonly rows: number;
  /** Byte offset of every line start, and at [rows] the end of the last line. */
  readonly lineStart: Float64Array;
  /** The key cell of every line (event_time, µs since the epoch). */
  readonly key: Float64Array;
  /** Offset of the id cell from the line start. */
  readonly idAt: Uint16Array;
  /** Offset of the export's first cell from the line start (key and id cells cut off). */
  readonly bodyAt: Uint16Array;
  /** First line of every run; the last entry is `rows`. */
  readonly runStarts: readonly number[];
}

export type CsvRunIndexResult = { ok: true; index: CsvRunIndex } | { ok: false; reason: string };

/** A growable set of typed columns (one entry per line). */
class LineTable {
  size = 0;
  lineStart: Float64Array;
  key: Float64Array;
  idAt: Uint16Array;
  bodyAt: Uint16Array;

  constructor(capacity: number) {
    this.lineStart = new Float64Array(capacity + 1);
    this.key = new Float64Array(capacity);
    this.idAt = new Uint16Array(capacity);
    this.bodyAt = new Uint16Array(capacity);
  }

  push(start: number, key: number, idAt: number, bodyAt: number): void {
    if (this.size === this.key.length) this.grow();
    const i = this.size++;
    this.lineStart[i] = start;
    this.key[i] = key;
    this.idAt[i] = idAt;
    this.bodyAt[i] = bodyAt;
  }

  private grow(): void {
    const n = this.key.length * 2;
    const copy = <T extends Float64Array | Uint16Array>(a: T, make: (n: number) => T, extra = 0): T => {
      const b = make(n + extra);
      b.set(a);
      return b;
    };
    this.lineStart = copy(this.lineStart, (m) => new Float64Array(m), 1);
    this.key = copy(this.key, (m) => new Float64Array(m));
    this.idAt = copy(this.idAt, (m) => new Uint16Array(m));
    this.bodyAt = copy(this.bodyAt, (m) => new Uint16Array(m));
  }
}

/** How far `afterQuoted` looks byte by byte before a native search: quotes are dense in JSON. */
const NEAR_BYTES = 64;

/**
 * Index just past the quote closing a quoted cell whose text starts at `from`, or -1 when `b`
 * ends before it is known (a quote at the very end may be the first of a doubled pair).
 */
function afterQuoted(b: Buffer, from: number): number {
  const n = b.length;
  let j = from;
  for (;;) {
    const near = Math.min(n, j + NEAR_BYTES);
    while (j < near && b[j] !== QUOTE) j++;
    if (j === near) {
      if (near === n) return -1;
      j = b.indexOf(QUOTE, near);
      if (j < 0) return -1;
    }
    if (j + 1 >= n) return -1;
    if (b[j + 1] !== QUOTE) return j + 1;
    j += 2;
  }
}

/**
 * Finds line ends in one buffer. The next LF and the next quote are remembered across lines, so
 * each byte is searched once however far apart they are (quotes are rare without `raw`).
 */
class LineScanner {
  private lf = -1;
  private quote = -1;
  /** The next line's head, filled by `head`. */
  key = 0;
  idAt = 0;
  idEnd = 0;
  bodyAt = 0;

  constructor(private readonly b: Buffer) {}

  /** Index just past the line starting at `from` (its LF outside quotes), or -1 if incomplete. */
  lineEnd(from: number): number {
    const b = this.b;
    let i = from;
    for (;;) {
      if (this.lf < i) this.lf = b.indexOf(LF, i);
      if (this.lf < 0) return -1;
      if (this.quote < i && this.quote !== -2) {
        this.quote = b.indexOf(QUOTE, i);
        if (this.quote < 0) this.quote = -2; // none left in this buffer
      }
      if (this.quote === -2 || this.lf < this.quote) return this.lf + 1;
      i = afterQuoted(b, this.quote + 1);
      if (i < 0) return -1;
    }
  }

  /** Reads the key and id cells of the complete line `[at, end)`; false if they are malformed. */
  head(at: number, end: number): boolean {
    const b = this.b;
    let i = at;
    const negative = b[i] === MINUS;
    if (negative) i++;
    const digits = i;
    let key = 0;
    for (let c = b[i] ?? 0; c >= ZERO && c <= NINE; c = b[++i] ?? 0) key = key * 10 + (c - ZERO);
    if (i === digits || i - digits > MAX_KEY_DIGITS || b[i] !== COMMA) return false;
    const idAt = i + 1;
    const idEnd = b[idAt] === QUOTE ? afterQuoted(b, idAt + 1) : b.indexOf(COMMA, idAt);
    if (idEnd < 0 || idEnd >= end || b[idEnd] !== COMMA) return false;
    this.key = negative ? -key : key;
    this.idAt = idAt;
    this.idEnd = idEnd;
    this.bodyAt = idEnd + 1;
    return true;
  }
}

/** Finds the lines and ascending runs of a key-led CSV file (see the module comment). */
export async function indexCsvRuns(
  file: string,
  options: { maxRuns: number; expectedRows?: number },
): Promise<CsvRunIndexResult> {
  const fh = await open(file, 'r');
  try {
    return await scanFile(fh, options.maxRuns, Math.max(1024, options.expectedRows ?? 0));
  } finally {
    await fh.close();
  }
}

async function scanFile(fh: FileHandle, maxRuns: number, capacity: number): Promise<CsvRunIndexResult> {
  const lines = new LineTable(capacity);
  const runStarts: number[] = [0];
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  // The previous line stays in the buffer (carried over with the unfinished one), so its id is
  // compared where it lies: no copy per line.
  let prevStart = -1;
  let prevIdAt = 0;
  let prevIdEnd = 0;
  let prevKey = Number.NEGATIVE_INFINITY;
  let base = 0; // file offset of buf[0]
  let filled = 0;
  let carried = 0; // where the unfinished line starts in buf
  for (;;) {
    if (filled === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2); // one line longer than the buffer
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const { bytesRead } = await fh.read(buf, filled, buf.length - filled, base + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
    const view = buf.subarray(0, filled);
    const scan = new LineScanner(view);
    let at = carried;
    for (let end = scan.lineEnd(at); end >= 0; at = end, end = scan.lineEnd(at)) {
      if (!scan.head(at, end) || scan.bodyAt - at > MAX_PREFIX_BYTES) {
        return { ok: false, reason: `line ${lines.size + 1}: no key and id cells` };
      }
      const { key, idAt, idEnd } = scan;
      const down =
        key < prevKey || (key === prevKey && view.compare(view, prevIdAt, prevIdEnd, idAt, idEnd) < 0);
      if (down && lines.size > 0) {
        runStarts.push(lines.size);
        if (runStarts.length > maxRuns) return { ok: false, reason: `more than ${maxRuns} runs` };
      }
      prevStart = at;
      prevIdAt = idAt;
      prevIdEnd = idEnd;
      prevKey = key;
      lines.push(base + at, key, idAt - at, scan.bodyAt - at);
    }
    const keep = prevStart < 0 ? at : Math.min(at, prevStart);
    buf.copyWithin(0, keep, filled);
    base += keep;
    filled -= keep;
    at -= keep;
    if (prevStart >= 0) {
      prevStart -= keep;
      prevIdAt -= keep;
      prevIdEnd -= keep;
    }
    carried = at;
  }
  if (filled > carried) return { ok: false, reason: 'the last line has no end' };
  const rows = lines.size;
  lines.lineStart[rows] = base + carried;
  runStarts.push(rows);
  return {
    ok: true,
    index: {
      rows,
      lineStart: lines.lineStart.subarray(0, rows + 1),
      key: lines.key.subarray(0, rows),
      idAt: lines.idAt.subarray(0, rows),
      bodyAt: lines.bodyAt.subarray(0, rows),
      runStarts,
    },
  };
}

/**
 * The runs' read positions, one slot per run: its next line, its last line + 1, and the bytes
 * holding that next line: file offset of the first, how many are valid, and where they sit in
 * the arena (-1: in a buffer of the run's own, for a line longer than a block).
 */
class Cursors {
  readonly line: Float64Array;
  readonly end: Float64Array;
  readonly at: Float64Array;
  readonly length: Float64Array;
  readonly slot: Float64Array;
  readonly own: (Buffer | null)[];

  constructor(runStarts: readonly number[]) {
    const runs = runStarts.length - 1;
    this.line = Float64Array.from(runStarts.slice(0, runs));
    this.end = Float64Array.from(runStarts.slice(1));
    this.at = new Float64Array(runs);
    this.length = new Float64Array(runs);
    this.slot = new Float64Array(runs);
    this.own = Array.from({ length: runs }, () => null);
  }
}

/** A typed array's entry; the index is in range by construction (checked arrays say undefined). */
function at(a: Float64Array | Uint16Array | Int32Array, i: number): number {
  return a[i] ?? Number.NaN;
}

/**
 * The lines of every run in (key, id) order, each without its key and id cells, in chunks of
 * about 256 KiB. Equal keys and ids keep run order, so the output is a function of the file.
 * Lines move with copyWithin inside one arena (the output block, then a read block per run):
 * no object is made per line, so the merge leaves the garbage collector nothing to do.
 */
export async function* mergeCsvRuns(
  file: string,
  index: CsvRunIndex,
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<Uint8Array> {
  const { lineStart, key, idAt, bodyAt, runStarts } = index;
  const runs = runStarts.length - 1;
  if (index.rows === 0) return;
  const block = Math.min(MAX_RUN_BUFFER, Math.max(MIN_RUN_BUFFER, Math.floor(MERGE_BUFFER_BYTES / runs)));
  const arena = Buffer.allocUnsafe(OUT_BYTES + runs * block);
  const cur = new Cursors(runStarts);
  const fh = await open(file, 'r');
  try {
    /** Reads run r from its next line on: a block into its arena slot, or a longer line alone. */
    const fill = async (r: number): Promise<void> => {
      const line = at(cur.line, r);
      const from = at(lineStart, line);
      const need = at(lineStart, line + 1) - from;
      const runEnd = at(lineStart, at(cur.end, r));
      let bytesRead: number;
      if (need <= block) {
        const slot = OUT_BYTES + r * block;
        ({ bytesRead } = await fh.read(arena, slot, Math.min(block, runEnd - from), from));
        cur.slot[r] = slot;
        cur.own[r] = null;
      } else {
        const own = Buffer.allocUnsafe(need);
        ({ bytesRead } = await fh.read(own, 0, need, from));
        cur.slot[r] = -1;
        cur.own[r] = own;
      }
      if (bytesRead < need) throw new Error('the export file changed while it was merged');
      cur.at[r] = from;
      cur.length[r] = bytesRead;
    };
    const holds = (r: number): boolean => {
      const line = at(cur.line, r);
      const bufAt = at(cur.at, r);
      return at(lineStart, line) >= bufAt && at(lineStart, line + 1) <= bufAt + at(cur.length, r);
    };
    /** Where run r's bytes are: the arena at its slot, or its own buffer from 0. */
    const bytesOf = (r: number): Buffer => cur.own[r] ?? arena;
    const offsetOf = (r: number): number => {
      const slot = at(cur.slot, r);
      return Math.max(slot, 0) - at(cur.at, r);
    };
    for (let r = 0; r < runs; r++) await fill(r);
    // Min-heap of run numbers by (key, id cell bytes, run number); each run's key kept at hand.
    const headKey = Float64Array.from(cur.line, (line) => at(key, line));
    const idOrder = (a: number, b: number): number => {
      const la = at(cur.line, a);
      const lb = at(cur.line, b);
      const sa = at(lineStart, la) + offsetOf(a);
      const sb = at(lineStart, lb) + offsetOf(b);
      return bytesOf(a).compare(
        bytesOf(b),
        sb + at(idAt, lb),
        sb + at(bodyAt, lb) - 1,
        sa + at(idAt, la),
        sa + at(bodyAt, la) - 1,
      );
    };
    const before = (a: number, b: number): boolean => {
      const ka = at(headKey, a);
      const kb = at(headKey, b);
      if (ka !== kb) return ka < kb;
      const order = idOrder(a, b);
      return order !== 0 ? order < 0 : a < b;
    };
    const heap = new Int32Array(runs);
    let size = runs;
    for (let r = 0; r < runs; r++) heap[r] = r;
    const siftDown = (from: number): void => {
      const top = at(heap, from);
      let i = from;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const right = l + 1;
        const child = right < size && before(at(heap, right), at(heap, l)) ? right : l;
        const c = at(heap, child);
        if (!before(c, top)) break;
        heap[i] = c;
        i = child;
      }
      heap[i] = top;
    };
    for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i);

    let used = 0;
    const flush = (): Buffer => {
      const chunk = Buffer.allocUnsafe(used);
      arena.copy(chunk, 0, 0, used);
      used = 0;
      return chunk;
    };
    while (size > 0) {
      const r = at(heap, 0);
      const line = at(cur.line, r);
      const offset = offsetOf(r);
      const from = at(lineStart, line) + at(bodyAt, line) + offset;
      const to = at(lineStart, line + 1) + offset;
      if (used + (to - from) > OUT_BYTES) {
        if (options.signal?.aborted) return;
        if (used > 0) yield flush();
      }
      if (to - from > OUT_BYTES) yield Buffer.from(bytesOf(r).subarray(from, to));
      else if (cur.own[r] === null) used += arena.copyWithin(used, from, to) && to - from;
      else used += bytesOf(r).copy(arena, used, from, to);
      cur.line[r] = line + 1;
      if (line + 1 === at(cur.end, r)) {
        size--;
        heap[0] = at(heap, size);
        if (size > 0) siftDown(0);
        continue;
      }
      if (!holds(r)) await fill(r);
      headKey[r] = at(key, line + 1);
      siftDown(0);
    }
    if (used > 0) yield flush();
  } finally {
    await fh.close();
  }
}
