import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '../config/schema';
import type { CompiledQuery, QueryEngine } from '../query/engine';
import { LocalStore } from '../store/local';
import { AccessLog } from './access-log';
import { planSlices, timeSlices } from './export-bulk';
import { makeActivityEvent, makeFixtureEvents } from './fixtures';
import { principalForRoles } from './grants';
import { EXPORT_COLUMNS } from './queries';
import type { ClassifiedEvent } from './schema';
import { AuditService, type AuditServiceDeps } from './service';
import { createFixtureService, FIXTURE_NOW, type FixtureService } from './test-service';

/** Cells a spreadsheet or a CSV reader could trip on, each in a column of its own type. */
function hostileEvents(): ClassifiedEvent[] {
  const t = BigInt(Date.UTC(2026, 0, 10, 23, 59, 59, 999)) * 1000n + 123n;
  const texts = [
    '=HYPERLINK("http://x","y")',
    '+1',
    '-2+3',
    '@SUM(A1)',
    '\tlead tab',
    '\rlead cr',
    '\r\nlead crlf',
    'SELECT 1\nFROM t -- lone LF',
    'a\rb',
    'say "hi", then # comment',
    '# starts with hash',
    'ünïcödé 漢字 😀 \u2028 sep',
    '',
    ' padded ',
  ];
  return texts.map((text, i) =>
    makeActivityEvent({
      event_time: t + BigInt(i),
      end_time: i % 2 === 0 ? null : t + BigInt(i) + 7n,
      class: i % 3 === 0 ? 'DDL' : 'DML',
      command_text: text,
      param_list: i % 4 === 0 ? null : JSON.stringify([text, i]),
      error_message: i % 5 === 0 ? `-ERR ${text}` : null,
      exit_code: i % 5 === 0 ? '-1' : null,
      failed: i % 5 === 0,
      db_user: i === 3 ? '@admin' : 'alice',
      object_name: i === 4 ? 'public."odd,name"' : 'public.orders',
      client_application: i === 5 ? '=cmd|" /C calc"!A0' : 'psql',
      cluster_id: i === 6 ? '' : 'fixture-a',
      row_count: i === 7 ? null : BigInt(i - 3),
      substatement_id: i === 8 ? null : -BigInt(i),
    }),
  );
}

/** The same engine without its CSV writer: the service falls back to the row path. */
function rowPathOnly(engine: QueryEngine): QueryEngine {
  return {
    name: engine.name,
    dialect: engine.dialect,
    run: (q, o) => engine.run(q, o),
    stream: (q, o) => engine.stream(q, o),
    close: async () => undefined,
  };
}

/** Counts the engine's CSV writes, to prove which path an export took. */
function countingWrites(engine: QueryEngine): { engine: QueryEngine; writes: CompiledQuery[] } {
  const writes: CompiledQuery[] = [];
  const writeCsv = engine.writeCsv?.bind(engine);
  if (writeCsv === undefined) throw new Error('engine has no CSV writer');
  return {
    writes,
    engine: {
      ...rowPathOnly(engine),
      writeCsv: (q, o) => {
        writes.push(q);
        return writeCsv(q, o);
      },
    },
  };
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  return Buffer.concat(chunks);
}

describe('CSV export: bulk path (DuckDB COPY) and row path', () => {
  let fx: FixtureService;
  let bulk: { service: AuditService; writes: CompiledQuery[] };
  let sorting: { service: AuditService; writes: CompiledQuery[] };
  let rows: AuditService;
  const auditor = principalForRoles('aud', ['auditor'], DEFAULT_ROLES);

  beforeAll(async () => {
    fx = await createFixtureService([...makeFixtureEvents(), ...hostileEvents()]);
    const countingService = (tuning: Partial<AuditServiceDeps>) => {
      const counted = countingWrites(fx.engine);
      const deps = { engine: counted.engine, accessLog: fx.accessLog, now: () => FIXTURE_NOW };
      return { service: new AuditService({ ...deps, ...tuning }), writes: counted.writes };
    };
    // Small windows, so an export of the fixture days takes several COPYs.
    bulk = countingService({ exportWindowRows: 20 });
    // One run allowed: every window with more is sorted by the engine, in slices of 5 rows.
    sorting = countingService({ exportWindowRows: 20, exportMaxRuns: 1, exportSliceRows: 5 });
    rows = new AuditService({
      engine: rowPathOnly(fx.engine),
      accessLog: new AccessLog(new LocalStore(fx.root)),
      now: () => FIXTURE_NOW,
    });
  });
  afterAll(async () => fx.cleanup());

  const exportWith = async (
    service: AuditService,
    columns: 'all' | string[] | undefined,
    from: string,
    to: string,
  ) => {
    const handle = await service.exportEvents(auditor, {
      query: { range: { from, to } },
      format: 'csv',
      ...(columns === undefined ? {} : { columns }),
    });
    const bytes = await readAll(handle.body);
    return { bytes, manifest: await handle.manifest };
  };

  it.each([
    ['two whole days', undefined, '2026-01-10T00:00:00.000Z', '2026-01-12T00:00:00.000Z'],
    ['two whole days, all columns', 'all', '2026-01-10T00:00:00.000Z', '2026-01-12T00:00:00.000Z'],
    ['from mid-day, across midnight', undefined, '2026-01-10T12:30:00.000Z', '2026-01-11T06:00:00.000Z'],
    [
      'columns chosen, in their order',
      ['db_user', 'event_time', 'command_text'],
      '2026-01-10T00:00:00.000Z',
      '2026-01-12T00:00:00.000Z',
    ],
  ] as const)('merged, engine-sorted and row paths write the same bytes: %s', async (_, cols, from, to) => {
    const columns = cols === undefined || cols === 'all' ? cols : [...cols];
    const before = { merged: bulk.writes.length, sorted: sorting.writes.length };
    const a = await exportWith(bulk.service, columns, from, to);
    const s = await exportWith(sorting.service, columns, from, to);
    const b = await exportWith(rows, columns, from, to);
    const merged = bulk.writes.slice(before.merged);
    expect(merged.length).toBeGreaterThan(1);
    expect(merged.every((q) => q.label === 'export.csv.keyed')).toBe(true);
    // The engine-sorting service wrote each window keyed, found more than one run, then sorted it.
    expect(sorting.writes.slice(before.sorted).some((q) => q.label === 'export.csv')).toBe(true);
    expect(a.bytes.toString('utf8')).toBe(b.bytes.toString('utf8'));
    expect(s.bytes.toString('utf8')).toBe(b.bytes.toString('utf8'));
    expect(a.manifest.sha256).toBe(b.manifest.sha256);
    expect(a.manifest.rowCount).toBe(b.manifest.rowCount);
    expect(s.manifest.rowCount).toBe(b.manifest.rowCount);
    expect(a.manifest.rowCount).toBeGreaterThan(10);
    const records: string[][] = parse(a.bytes.toString('utf8'));
    expect(records.length - 1).toBe(a.manifest.rowCount);
    expect(records[0]).toEqual(a.manifest.columns);
  });

  it('leaves raw out of a CSV unless asked, and names the columns in the manifest', async () => {
    const from = '2026-01-10T00:00:00.000Z';
    const to = '2026-01-12T00:00:00.000Z';
    const plain = await exportWith(bulk.service, undefined, from, to);
    expect(plain.manifest.columns).toEqual(EXPORT_COLUMNS.filter((c) => c !== 'raw'));
    const all = await exportWith(bulk.service, 'all', from, to);
    expect(all.manifest.columns).toEqual(EXPORT_COLUMNS);
    const records: Record<string, string>[] = parse(all.bytes.toString('utf8'), { columns: true });
    expect(records.every((r) => r.raw?.startsWith('{'))).toBe(true);
    await expect(exportWith(bulk.service, ['db_user', 'nope'], from, to)).rejects.toThrow(
      /unknown column .{0,2}"nope/,
    );
    await expect(exportWith(bulk.service, ['db_user', 'db_user'], from, to)).rejects.toThrow(
      /db_user.{0,2}" is named twice/,
    );
    await expect(exportWith(bulk.service, [], from, to)).rejects.toThrow(/at least one column/);
  });

  it('neutralises formulas and keeps every hostile cell one cell', async () => {
    const { bytes } = await exportWith(
      bulk.service,
      undefined,
      '2026-01-10T23:59:59.000Z',
      '2026-01-11T00:00:00.000Z',
    );
    const records: Record<string, string>[] = parse(bytes.toString('utf8'), { columns: true });
    const texts = records.map((r) => r.command_text);
    expect(texts).toEqual([
      '\'=HYPERLINK("http://x","y")',
      "'+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\tlead tab",
      "'\rlead cr",
      "'\r\nlead crlf",
      'SELECT 1\nFROM t -- lone LF',
      'a\rb',
      'say "hi", then # comment',
      '# starts with hash',
      'ünïcödé 漢字 😀 \u2028 sep',
      '',
      ' padded ',
    ]);
    expect(records[0]?.event_time).toBe('2026-01-10T23:59:59.999123Z');
    expect(records[0]?.end_time).toBe('');
    expect(records[1]?.end_time).toBe('2026-01-10T23:59:59.999131Z');
    expect(records[0]?.error_message).toBe('\'-ERR =HYPERLINK("http://x","y")');
    expect(records[0]?.exit_code).toBe("'-1");
    expect(records[3]?.db_user).toBe("'@admin");
    expect(records[5]?.client_application).toBe('\'=cmd|" /C calc"!A0');
    expect(records[6]?.cluster_id).toBe('');
    expect(records[7]?.row_count).toBe('');
    expect(records[0]?.row_count).toBe('-3');
    expect(records[8]?.substatement_id).toBe('');
    expect(records[9]?.substatement_id).toBe('-9');
    expect(records[0]?.dt).toBe('2026-01-10');
    expect(records[0]?.failed).toBe('true');
  });

  it('takes the row path when a scope masks text (the masker is not SQL)', async () => {
    const masked = principalForRoles('m', ['masked'], {
      masked: {
        classes: '*',
        resources: '*',
        databases: '*',
        statementText: 'masked',
        export: true,
        accessLog: false,
      },
    });
    const before = bulk.writes.length;
    const handle = await bulk.service.exportEvents(masked, {
      query: { range: { from: '2026-01-10T23:59:59.000Z', to: '2026-01-11T00:00:00.000Z' } },
      columns: 'all',
    });
    const records: Record<string, string>[] = parse((await readAll(handle.body)).toString('utf8'), {
      columns: true,
    });
    expect(bulk.writes.length).toBe(before);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.raw === '')).toBe(true);
  });

  it('stops at a cancel: manifest incomplete, later exports still work', async () => {
    const handle = await bulk.service.exportEvents(auditor, {
      query: { range: { from: '2026-01-10T00:00:00.000Z', to: '2026-01-12T00:00:00.000Z' } },
    });
    const reader = handle.body.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect((await handle.manifest).complete).toBe(false);
    const again = await exportWith(
      bulk.service,
      undefined,
      '2026-01-10T00:00:00.000Z',
      '2026-01-12T00:00:00.000Z',
    );
    expect(again.manifest.complete).toBe(true);
  });
});

describe('timeSlices', () => {
  it('cuts at UTC hours by default', () => {
    expect(timeSlices({ from: '2026-01-10T22:30:00.000Z', to: '2026-01-11T00:10:00.000Z' })).toEqual([
      { from: '2026-01-10T22:30:00.000Z', to: '2026-01-10T23:00:00.000Z' },
      { from: '2026-01-10T23:00:00.000Z', to: '2026-01-11T00:00:00.000Z' },
      { from: '2026-01-11T00:00:00.000Z', to: '2026-01-11T00:10:00.000Z' },
    ]);
  });

  it('cuts at UTC midnights with a day slice and keeps the ends', () => {
    expect(
      timeSlices({ from: '2026-01-10T12:00:00.000Z', to: '2026-01-12T01:00:00.000Z' }, 86_400_000),
    ).toEqual([
      { from: '2026-01-10T12:00:00.000Z', to: '2026-01-11T00:00:00.000Z' },
      { from: '2026-01-11T00:00:00.000Z', to: '2026-01-12T00:00:00.000Z' },
      { from: '2026-01-12T00:00:00.000Z', to: '2026-01-12T01:00:00.000Z' },
    ]);
    expect(timeSlices({ from: '2026-01-10T00:00:00.000Z', to: '2026-01-10T00:00:00.000Z' })).toEqual([]);
    // Sub-millisecond ends are kept, so the slices cover exactly the range asked for.
    expect(timeSlices({ from: '2026-01-10T00:59:59.999500Z', to: '2026-01-10T02:00:00.000700Z' })).toEqual([
      { from: '2026-01-10T00:59:59.999500Z', to: '2026-01-10T01:00:00.000Z' },
      { from: '2026-01-10T01:00:00.000Z', to: '2026-01-10T02:00:00.000700Z' },
    ]);
  });
});

describe('planSlices', () => {
  const range = { from: '2026-01-10T21:30:00.000Z', to: '2026-01-11T02:00:00.000Z' };
  const counts = [
    { bucket: '2026-01-10T21:00:00.000000Z', n: 30 },
    { bucket: '2026-01-10T22:00:00.000000Z', n: 30 },
    { bucket: '2026-01-11T00:00:00.000000Z', n: 80 },
    { bucket: '2026-01-11T01:00:00.000000Z', n: 10 },
  ];

  it('groups hours (empty ones too) up to the row bound, an hour over it alone, covering the range', () => {
    expect(planSlices(range, counts, 60)).toEqual([
      { from: '2026-01-10T21:30:00.000Z', to: '2026-01-11T00:00:00.000Z' },
      { from: '2026-01-11T00:00:00.000Z', to: '2026-01-11T01:00:00.000Z' },
      { from: '2026-01-11T01:00:00.000Z', to: '2026-01-11T02:00:00.000Z' },
    ]);
  });

  it('is one slice when everything fits, and covers hours without counts', () => {
    expect(planSlices(range, counts, 1_000)).toEqual([range]);
    expect(planSlices(range, [], 1)).toEqual([range]);
  });
});
