import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '../config/schema';
import { ForbiddenError } from '../http/errors';
import { type ExportRecord, encodeExport, neutraliseCell } from './export';
import { principalForRoles } from './grants';
import { ACTIVITY_COLUMNS } from './schema';
import { createFixtureService, type FixtureService } from './test-service';

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  return new Uint8Array(Buffer.concat(chunks));
}

async function* records(rows: readonly ExportRecord[]): AsyncIterable<ExportRecord> {
  yield* rows;
}

const COLUMNS = ['id', 'text', 'n', 'ok'] as const;

describe('neutraliseCell', () => {
  it.each([
    ['=HYPERLINK("x")', '\'=HYPERLINK("x")'],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
  ])('%j → %j', (input, output) => {
    expect(neutraliseCell(input)).toBe(output);
  });
});

describe('encodeExport', () => {
  const rows: ExportRecord[] = [
    { id: 'a', text: '=cmd|"/c calc"!A1', n: -5, ok: true },
    { id: 'b', text: 'line1\r\nline2 "quoted", comma', n: null, ok: false },
    { id: 'c', text: 'ünïcödé 漢字 😀', n: 3, ok: null },
    { id: 'd', text: 'SELECT 1\nFROM t\rWHERE x', n: 0, ok: true },
  ];

  it('writes RFC 4180 CSV that a CSV parser reads back, formulas neutralised', async () => {
    const { body, totals } = encodeExport(records(rows), 'csv', COLUMNS);
    const bytes = await readAll(body);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith('id,text,n,ok\r\n')).toBe(true);
    expect(parse(text, { relax_column_count: false })).toEqual([
      ['id', 'text', 'n', 'ok'],
      ['a', '\'=cmd|"/c calc"!A1', '-5', 'true'],
      ['b', 'line1\r\nline2 "quoted", comma', '', 'false'],
      ['c', 'ünïcödé 漢字 😀', '3', ''],
      ['d', 'SELECT 1\nFROM t\rWHERE x', '0', 'true'],
    ]);
    // A lone LF or CR inside a cell is quoted too (a parser would otherwise end the record there).
    expect(text).toContain('"SELECT 1\nFROM t\rWHERE x"');
    const t = await totals;
    expect(t).toEqual({
      rowCount: 4,
      bytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      complete: true,
    });
  });

  it('writes NDJSON with the columns in order and no neutralisation', async () => {
    const { body } = encodeExport(records(rows), 'ndjson', COLUMNS);
    const lines = new TextDecoder()
      .decode(await readAll(body))
      .trimEnd()
      .split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(
      rows.map((r) => ({ id: r.id, text: r.text, n: r.n, ok: r.ok })),
    );
    expect(Object.keys(JSON.parse(lines[0] ?? '{}'))).toEqual([...COLUMNS]);
  });

  it('pulls rows only as the reader asks (backpressure) and stops the source on cancel', async () => {
    let produced = 0;
    let closed = false;
    async function* endless(): AsyncIterable<ExportRecord> {
      try {
        for (;;) {
          produced++;
          yield { id: String(produced), text: 'x', n: produced, ok: true };
        }
      } finally {
        closed = true;
      }
    }
    const { body, totals } = encodeExport(endless(), 'csv', COLUMNS);
    const reader = body.getReader();
    await reader.read();
    await reader.read();
    await new Promise((r) => setTimeout(r, 20));
    // Header + one batch read, at most one more batch buffered: memory does not grow with the source.
    expect(produced).toBeLessThanOrEqual(1001);
    await reader.cancel();
    expect(closed).toBe(true);
    expect((await totals).complete).toBe(false);
  });
});

describe('exportEvents', () => {
  let fx: FixtureService;
  beforeAll(async () => {
    fx = await createFixtureService();
  });
  afterAll(async () => fx.cleanup());
  const RANGE = { from: '2026-01-10T00:00:00.000Z', to: '2026-01-12T00:00:00.000Z' };

  it('exports every matching event with the storage column names, and a manifest of the bytes', async () => {
    const auditor = principalForRoles('aud', ['auditor'], DEFAULT_ROLES);
    const handle = await fx.service.exportEvents(
      auditor,
      { query: { range: RANGE }, format: 'csv' },
      { requestId: 'exp-1' },
    );
    const bytes = await readAll(handle.body);
    const rows: string[][] = parse(new TextDecoder().decode(bytes));
    // Every storage column but raw (the original JSON: NDJSON and columns=all carry it).
    expect(rows[0]).toEqual([
      ...ACTIVITY_COLUMNS.map((c) => c.name).filter((c) => c !== 'raw'),
      'class',
      'dt',
    ]);
    const statements = fx.events.filter((e) => !e.is_aux);
    expect(rows.length - 1).toBe(statements.length);
    const manifest = await handle.manifest;
    expect(manifest).toMatchObject({
      rowCount: statements.length,
      complete: true,
      requester: 'aud',
      format: 'csv',
    });
    expect(manifest.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const log = await fx.accessLog.read({ from: RANGE.from, to: '2027-01-01T00:00:00.000Z' }, 100);
    expect(log.find((e) => e.requestId === 'exp-1')).toMatchObject({
      action: 'export',
      rows: statements.length,
      query: { sha256: manifest.sha256, format: 'csv', columns: manifest.columns },
    });
    expect(handle.contentType).toBe('text/csv; charset=utf-8');
  });

  it('refuses roles without the export right before streaming anything', async () => {
    for (const role of ['security-lead', 'app-team']) {
      const p = principalForRoles('x', [role], DEFAULT_ROLES);
      await expect(fx.service.exportEvents(p, { query: { range: RANGE } })).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    }
  });
});
