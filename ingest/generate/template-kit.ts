/** Building blocks of statement templates: literal/bind collection and the Stmt constructor. */
import type { ActivityClass } from '../../lib/audit/schema';
import type { ColumnDef, TableDef } from './catalog';
import type { TableRef } from './dialect';
import type { StatementContext, Stmt, StmtOp } from './statements';
import { NUMERIC_KINDS, rawValue } from './values';

export type Template = (c: StatementContext, r: TableRef) => Stmt;

/** Collects literals or bind placeholders for one statement. */
export class Values {
  readonly params: string[] = [];
  constructor(private readonly c: StatementContext) {}

  of(col: ColumnDef): string {
    const raw = rawValue(this.c.rng, col, this.c.today);
    if (this.c.binds) {
      const ph = this.c.d.placeholder(this.params.length + 1);
      if (ph !== null) {
        this.params.push(raw);
        return ph;
      }
    }
    if (NUMERIC_KINDS.has(col.kind)) return raw;
    if (col.kind === 'bool') return this.c.d.bool(raw);
    if (col.kind === 'ts' || col.kind === 'date') return this.c.d.timestamp(raw);
    return this.c.d.str(raw);
  }
}

export function make(
  c: StatementContext,
  op: StmtOp,
  cls: ActivityClass,
  text: string,
  fields: Partial<Pick<Stmt, 'params' | 'target' | 'reads' | 'newObject' | 'refText'>>,
  rows: number,
  durLo: number,
  durHi: number,
): Stmt {
  return {
    op,
    cls,
    text,
    params: c.d.bindsInParamList ? (fields.params ?? []) : [],
    target: fields.target ?? null,
    refText: fields.refText ?? null,
    reads: fields.reads ?? [],
    newObject: fields.newObject ?? null,
    rows,
    durUs: Math.round(c.rng.logUniform(durLo, durHi)),
    error: null,
  };
}

export function columnsOf(t: TableDef, c: StatementContext): string {
  if (c.rng.chance(0.25)) return '*';
  return t.columns
    .slice(0, 2 + c.rng.int(0, Math.max(0, t.columns.length - 2)))
    .map((col) => col.name)
    .join(', ');
}

export const filterOf = (t: TableDef, c: StatementContext): ColumnDef =>
  t.filters.length ? c.rng.pick(t.filters) : t.key;
export const enumOf = (t: TableDef): ColumnDef | undefined => t.columns.find((col) => col.kind === 'enum');
export const moneyOf = (t: TableDef): ColumnDef | undefined => t.columns.find((col) => col.kind === 'money');
