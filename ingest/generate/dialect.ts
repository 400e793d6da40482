/**
 * How each engine spells the statements the simulator writes. statements.ts builds every statement
 * through this interface; each engine file provides one.
 */
import type { DatabaseDef, TableDef } from './catalog';
import type { Rng } from './random';

export interface TableRef {
  db: DatabaseDef;
  table: TableDef;
}

export type SqlType = 'id' | 'int' | 'text' | 'money' | 'ts' | 'bool';

export interface Dialect {
  /** Table reference as a person or driver would write it (schema-qualified or not). */
  ref(r: TableRef, rng: Rng): string;
  /** Bind placeholder for 1-based position i; null when the engine's audit text shows literals. */
  placeholder(i: number): string | null;
  /** Whether bind values travel in `paramList` (Aurora PostgreSQL only). */
  bindsInParamList: boolean;
  /** A SELECT with a row limit. `head` is everything after the SELECT keyword up to ORDER BY. */
  limited(head: string, order: string, n: number): string;
  /** A predicate "column within the last `days` days". */
  recent(col: string, days: number): string;
  /** Expression truncating a timestamp column to the day. */
  day(col: string): string;
  str(v: string): string;
  bool(v: string): string;
  timestamp(v: string): string;
  now: string;
  /** Prefix that turns a query into a plan request, or null (SQL Server uses SET SHOWPLAN). */
  explain: string | null;
  types: Readonly<Record<SqlType, string>>;
  begin: string | null;
  commit: string;
  rollback: string;
  savepoint: ((name: string) => string) | null;
  /** Session settings (class OTHER). */
  sets: readonly string[];
  /** Read-only introspection a person types (class DQL). */
  shows: readonly string[];
  /** Service-account health checks: [text, rows]. */
  health: readonly (readonly [string, number])[];
  /** Catalog queries DBAs run (class DQL). */
  catalog: readonly string[];
  maintenance(ref: string, r: TableRef, rng: Rng): string;
  call(db: DatabaseDef, rng: Rng): string;
  use(db: DatabaseDef): string | null;
  bulkLoad(ref: string, r: TableRef): string;
  upsert(ref: string, cols: readonly string[], vals: readonly string[], key: string): string;
  principal(name: string): string;
  createRole(name: string): string;
  createUser(name: string): string | null;
  grantRole(role: string, grantee: string): string;
  addColumn(ref: string, col: string, type: string): string;
  /** null when the engine renames through a procedure (SQL Server sp_rename). */
  rename(ref: string, newName: string): string | null;
  dropTable(ref: string): string;
  dropIndex(name: string, tableRef: string): string;
  truncate(ref: string): string;
  comment(ref: string, text: string): string | null;
  /** Object name a new table/index/view/role gets in this engine (case). */
  name(n: string): string;
}
