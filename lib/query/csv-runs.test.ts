import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../ingest/generate/random';
import { type CsvRunIndex, indexCsvRuns, mergeCsvRuns } from './csv-runs';

const dir = mkdtempSync(path.join(tmpdir(), 'csv-runs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A row of the keyed COPY: key (µs), id (written as its bytes in hex), then the export's cells. */
type Row = [key: number, id: string, ...cells: string[]];

// RFC 4180 with CRLF, every risky cell quoted: what DuckDB's COPY writes for the keyed query.
const CSV = { record_delimiter: 'windows', quoted_match: /[\r\n#]/ } as const;

let files = 0;
function writeCsv(rows: readonly Row[]): string {
  const file = path.join(dir, `f${files++}.csv`);
  const cells = rows.map(([key, id, ...rest]) => [
    key,
    Buffer.from(id).toString('hex').toUpperCase(),
    ...rest,
  ]);
  writeFileSync(file, rows.length === 0 ? '' : stringify(cells, CSV));
  return file;
}

async function index(file: string, maxRuns = 4096): Promise<CsvRunIndex> {
  const result = await indexCsvRuns(file, { maxRuns });
  if (!result.ok) throw new Error(result.reason);
  return result.index;
}

async function merged(file: string, idx: CsvRunIndex): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of mergeCsvRuns(file, idx)) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** What the merge must give: rows by (key, id bytes, position), key and id cut, same CSV. */
function expected(rows: readonly Row[]): string {
  const order = rows
    .map((row, i) => ({ row, i }))
    .sort(
      (a, b) =>
        a.row[0] - b.row[0] || Buffer.compare(Buffer.from(a.row[1]), Buffer.from(b.row[1])) || a.i - b.i,
    );
  return order.length === 0
    ? ''
    : stringify(
        order.map(({ row }) => row.slice(2)),
        CSV,
      );
}

const PIECES = ['SELECT 1', ',', '"', '""', '\r\n', '\n', '\r', '#', '=', ' ', 'ü漢😀', 'x'.repeat(40)];

describe('indexCsvRuns + mergeCsvRuns', () => {
  it('merges interleaved runs with quoted, multi-line cells into key order and cuts the key cells', async () => {
    const rows: Row[] = [
      // run 1
      [1_000, 'b', 'first\r\nline "one", still', ''],
      [3_000, 'a', 'plain', '#hash'],
      [3_000, 'c', 'same key, id after a', 'x'],
      // run 2 (key goes down)
      [2_000, 'a', 'two', '\n'],
      [3_000, 'b', 'same key, id between', ''],
      [5_000, 'q,"uoted"', 'id of CSV characters', 'y'],
      // run 3
      [1_000, 'b', 'equal key and id: after run 1', 'z'],
      [-5, 'neg', 'before 1970', ''],
    ];
    const file = writeCsv(rows);
    const idx = await index(file);
    expect(idx.rows).toBe(8);
    expect(idx.runStarts).toEqual([0, 3, 6, 7, 8]);
    const out = await merged(file, idx);
    expect(out).toBe(expected(rows));
    expect(parse(out).map((r: string[]) => r[0])).toEqual([
      'before 1970',
      'first\r\nline "one", still',
      'equal key and id: after run 1',
      'two',
      'plain',
      'same key, id between',
      'same key, id after a',
      'id of CSV characters',
    ]);
  });

  it('keeps one ascending file as one run, and an empty file as no rows', async () => {
    const rows: Row[] = Array.from({ length: 1000 }, (_, i) => [i * 7, `id${i}`, `cell ${i}`]);
    const file = writeCsv(rows);
    const idx = await index(file);
    expect(idx.runStarts).toEqual([0, 1000]);
    expect(await merged(file, idx)).toBe(expected(rows));
    const empty = writeCsv([]);
    const none = await index(empty);
    expect(none.rows).toBe(0);
    expect(await merged(empty, none)).toBe('');
  });

  it('handles lines longer than the read buffers and lines cut at chunk ends', async () => {
    const big = 'q"'.repeat(1_600_000); // 3.2 MB, 1.6 M quotes to double
    const rows: Row[] = [
      [10, 'a', 'short'],
      [30, 'c', big],
      [20, 'b', `${'y'.repeat((1 << 20) - 9)}"\r\n"`],
      [40, 'd', 'after'],
    ];
    const file = writeCsv(rows);
    const idx = await index(file);
    expect(idx.runStarts).toEqual([0, 2, 4]);
    expect(await merged(file, idx)).toBe(expected(rows));
  });

  it('merges random runs exactly like a sort (seeded)', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rng = new Rng(seed);
      const runs = rng.int(1, 40);
      const rows: Row[] = [];
      for (let r = 0; r < runs; r++) {
        let key = rng.int(0, 49);
        const n = rng.int(0, 59);
        for (let i = 0; i < n; i++) {
          key += rng.int(0, 2); // repeats: ties broken by id, then by run
          const cell = Array.from({ length: rng.int(0, 5) }, () => rng.pick(PIECES)).join('');
          const id = rng.pick(['a', 'b', 'c']);
          rows.push([key, rng.chance(0.1) ? `${id},"x"` : id, cell, String(i)]);
        }
      }
      const file = writeCsv(rows);
      const idx = await index(file);
      expect(idx.rows, `seed ${seed}`).toBe(rows.length);
      expect(await merged(file, idx), `seed ${seed}`).toBe(expected(rows));
    }
  });

  it('gives up past maxRuns, and on lines without key and id cells or without an end', async () => {
    const falling: Row[] = Array.from({ length: 50 }, (_, i) => [100 - i, 'x', 'c']);
    const file = writeCsv(falling);
    expect((await index(file, 50)).runStarts.length).toBe(51);
    expect(await indexCsvRuns(file, { maxRuns: 49 })).toEqual({ ok: false, reason: 'more than 49 runs' });

    const noKey = path.join(dir, 'nokey.csv');
    writeFileSync(noKey, '12,a,ok\r\nnot-a-key,a,b\r\n');
    expect(await indexCsvRuns(noKey, { maxRuns: 10 })).toEqual({
      ok: false,
      reason: 'line 2: no key and id cells',
    });
    const noId = path.join(dir, 'noid.csv');
    writeFileSync(noId, '12\r\n');
    expect((await indexCsvRuns(noId, { maxRuns: 10 })).ok).toBe(false);
    const cut = path.join(dir, 'cut.csv');
    writeFileSync(cut, '12,a,ok\r\n13,b,"never closed\r\n');
    expect(await indexCsvRuns(cut, { maxRuns: 10 })).toEqual({
      ok: false,
      reason: 'the last line has no end',
    });
  });
});
