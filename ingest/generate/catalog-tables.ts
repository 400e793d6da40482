/**
 * Business tables of the simulated databases, parsed once from the compact specs in
 * catalog-data.ts: columns with the kind of literal they take, key, filters, time column.
 */
import type { Engine } from '../../lib/audit/schema';
import { DATABASE_SETS, DOMAINS } from './catalog-data';

export type ColumnKind =
  | 'id'
  | 'fk'
  | 'qty'
  | 'money'
  | 'email'
  | 'name'
  | 'country'
  | 'enum'
  | 'ts'
  | 'date'
  | 'code'
  | 'uuid'
  | 'bool'
  | 'word'
  | 'path';

export interface ColumnDef {
  name: string;
  kind: ColumnKind;
  values: readonly string[];
  /** Largest value of an id / foreign key (the referenced table's size). */
  max: number;
}

export interface TableDef {
  /** As the engine names it (upper case on Oracle). */
  name: string;
  columns: readonly ColumnDef[];
  rows: number;
  /** Key column for point lookups / updates. */
  key: ColumnDef;
  /** Columns worth filtering on. */
  filters: readonly ColumnDef[];
  /** Timestamp column for range filters, if any. */
  time: ColumnDef | null;
}

export interface DatabaseDef {
  domain: string;
  name: string;
  schema: string;
  tables: readonly TableDef[];
}

const COLUMN_KINDS: readonly ColumnKind[] = [
  'id',
  'fk',
  'qty',
  'money',
  'email',
  'name',
  'country',
  'enum',
  'ts',
  'date',
  'code',
  'uuid',
  'bool',
  'word',
  'path',
];

function toKind(text: string | undefined): ColumnKind {
  const kind = COLUMN_KINDS.find((k) => k === text);
  if (kind === undefined) throw new RangeError(`unknown column kind in catalog: ${text}`);
  return kind;
}

function parseTable(spec: string, upper: boolean): TableDef {
  const [name = 't', rows = '1000', cols = ''] = spec.split(':');
  const columns = cols.split(',').map((c): ColumnDef => {
    const [colName = 'c', kindSpec = 'word'] = c.split(' ');
    const m = /^(\w+)(?:\((.*)\))?$/.exec(kindSpec);
    return { name: colName, kind: toKind(m?.[1]), values: m?.[2] ? m[2].split('|') : [], max: Number(rows) };
  });
  const key = columns[0] ?? { name: 'id', kind: 'id', values: [], max: Number(rows) };
  return {
    name: upper ? name.toUpperCase() : name,
    columns,
    rows: Number(rows),
    key,
    filters: columns.filter((c) => ['fk', 'enum', 'country', 'email', 'code'].includes(c.kind)),
    time: columns.find((c) => c.kind === 'ts' || c.kind === 'date') ?? null,
  };
}

/** Foreign keys `<x>_id` range over the rows of table `<x>s` when the domain has it. */
function withForeignKeyRanges(tables: TableDef[]): TableDef[] {
  const rows = new Map(tables.map((t) => [t.name.toLowerCase(), t.rows]));
  const fix = (c: ColumnDef): ColumnDef =>
    c.kind === 'fk' ? { ...c, max: rows.get(`${c.name.replace(/_id$/, '')}s`) ?? 400_000 } : c;
  return tables.map((t) => {
    const columns = t.columns.map(fix);
    return { ...t, columns, filters: t.filters.map(fix) };
  });
}

export function databasesFor(engine: Engine, engineIndex: number): DatabaseDef[] {
  const sets = DATABASE_SETS[engine];
  const set = sets[engineIndex % sets.length] ?? [];
  return set.map(([domain, name, schema]) => ({
    domain,
    name,
    schema,
    tables: withForeignKeyRanges(
      (DOMAINS[domain] ?? []).map((spec) => parseTable(spec, engine === 'oracle')),
    ),
  }));
}
