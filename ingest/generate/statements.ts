/**
 * The statement model shared by templates, engines and the session script: what a statement is,
 * transaction control, and how a statement fails (typos, permissions, duplicates, timeouts).
 */
import type { ActivityClass } from '../../lib/audit/schema';
import type { DatabaseDef } from './catalog';
import type { Dialect, TableRef } from './dialect';
import { type Rng, WeightedPicker } from './random';

export type StmtOp =
  | 'select'
  | 'explain'
  | 'show'
  | 'insert'
  | 'update'
  | 'delete'
  | 'upsert'
  | 'bulk_load'
  | 'begin'
  | 'commit'
  | 'rollback'
  | 'savepoint'
  | 'set'
  | 'maintenance'
  | 'call'
  | 'use'
  | 'create_table'
  | 'alter_table'
  | 'create_index'
  | 'drop_index'
  | 'drop_table'
  | 'truncate'
  | 'create_view'
  | 'rename'
  | 'comment'
  | 'grant'
  | 'revoke'
  | 'create_role'
  | 'grant_role'
  | 'create_user';

const ERROR_KINDS = [
  'missing_table',
  'missing_column',
  'syntax',
  'permission',
  'duplicate',
  'exists',
  'read_only',
  'timeout',
  'deadlock',
  'bad_input',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface StmtError {
  kind: ErrorKind;
  /** The identifier or value the error message names. */
  name: string;
}

export interface Stmt {
  op: StmtOp;
  /** The class the statement is meant to get (architecture.md). */
  cls: ActivityClass;
  text: string;
  /** Bind values (Aurora PostgreSQL paramList); [] when the text carries literals. */
  params: string[];
  target: TableRef | null;
  /** How the target appears in the text (for error typos). */
  refText: string | null;
  /** Further tables read (joins). */
  reads: TableRef[];
  /** Name of an object the statement creates/drops/grants that is not a catalogued table. */
  newObject: string | null;
  rows: number;
  durUs: number;
  error: StmtError | null;
}

export interface StatementContext {
  rng: Rng;
  d: Dialect;
  db: DatabaseDef;
  /** The client sends bind parameters (prepared statements). */
  binds: boolean;
  /** YYYY-MM-DD of the session, for date literals. */
  today: string;
  /** Principals GRANT/REVOKE may name. */
  grantees: readonly string[];
}

export type StatementClass = 'DQL' | 'DML' | 'DDL' | 'DCL' | 'OTHER';

/** Transaction control text in the dialect: begin, commit, rollback or savepoint. */
export function transactionControl(
  c: StatementContext,
  op: 'begin' | 'commit' | 'rollback' | 'savepoint',
): Stmt {
  const text =
    op === 'begin'
      ? (c.d.begin ?? 'BEGIN')
      : op === 'commit'
        ? c.d.commit
        : op === 'rollback'
          ? c.d.rollback
          : (c.d.savepoint?.(`sp_${c.rng.int(1, 3)}`) ?? c.d.commit);
  return {
    op,
    cls: 'TCL',
    text,
    params: [],
    target: null,
    refText: null,
    reads: [],
    newObject: null,
    rows: 0,
    durUs: Math.round(c.rng.logUniform(30, op === 'commit' ? 8000 : 600)),
    error: null,
  };
}

const errors = (weights: Partial<Record<ErrorKind, number>>) =>
  new WeightedPicker(ERROR_KINDS.map((k) => [k, weights[k] ?? 0] as const));

const ERRORS_BY_CLASS: Readonly<Record<StatementClass, WeightedPicker<ErrorKind>>> = {
  DQL: errors({ missing_table: 30, missing_column: 25, syntax: 20, permission: 15, timeout: 10 }),
  DML: errors({ duplicate: 30, permission: 15, deadlock: 15, missing_column: 15, syntax: 10, bad_input: 15 }),
  DDL: errors({ permission: 35, exists: 40, missing_table: 25 }),
  DCL: errors({ permission: 100 }),
  OTHER: errors({ permission: 50, syntax: 50 }),
};

function typo(name: string, rng: Rng): string {
  if (name.length < 4) return `${name}s`;
  const k = rng.int(1, name.length - 2);
  return name.slice(0, k) + name.slice(k + 1);
}

/** Makes a statement fail: picks an error that fits it and, for typos, changes the text to match. */
export function failStatement(s: Stmt, rng: Rng, cls: StatementClass, forced?: ErrorKind): Stmt {
  let kind = forced ?? ERRORS_BY_CLASS[cls].pick(rng);
  if (
    (kind === 'duplicate' && s.op !== 'insert' && s.op !== 'upsert') ||
    (kind !== 'syntax' && !s.target && !s.newObject)
  )
    kind = 'syntax';
  const tableName = s.target?.table.name ?? s.newObject ?? '';
  let text = s.text;
  let name = tableName;
  if (kind === 'missing_table' && s.refText) {
    const wrong = typo(tableName, rng);
    text = text.replace(s.refText, s.refText.replace(tableName, wrong));
    name = wrong;
  } else if (kind === 'missing_column' && s.target) {
    const col = s.target.table.columns.find((c) => c !== s.target?.table.key && text.includes(c.name));
    if (col) {
      name = typo(col.name, rng);
      text = text.replace(col.name, name);
    } else kind = 'permission';
  } else if (kind === 'syntax') {
    const m = /\b(SELECT|FROM|WHERE|INTO|SET|TABLE|BY|ON)\b/.exec(text) ?? /^\w+/.exec(text);
    name = typo(m?.[0] ?? text.slice(0, 4), rng);
    if (m) text = text.replace(m[0], name);
  } else if (kind === 'duplicate') {
    name = String(rng.int(1, 999_999));
  }
  return { ...s, text, rows: 0, error: { kind, name } };
}
