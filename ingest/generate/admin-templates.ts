/**
 * Schema changes (DDL), privilege changes (DCL) and housekeeping (OTHER) templates: what
 * migrations, DBAs and batch jobs send.
 */
import type { ActivityClass } from '../../lib/audit/schema';
import type { StatementContext, Stmt, StmtOp } from './statements';
import type { Template } from './template-kit';

const NEW_COLUMNS: readonly (readonly [string, 'text' | 'ts' | 'money' | 'int' | 'bool'])[] = [
  ['archived_at', 'ts'],
  ['external_ref', 'text'],
  ['notes', 'text'],
  ['risk_score', 'int'],
  ['source_system', 'text'],
  ['is_flagged', 'bool'],
  ['discount', 'money'],
];
const ROLES = ['analyst_ro', 'support_rw', 'auditor', 'reporting_role', 'app_readonly', 'finance_rw'];
const NEW_USERS = ['svc_exporter', 'temp_vendor', 'qa_runner', 'backup_agent'];

function ddl(
  c: StatementContext,
  op: StmtOp,
  cls: ActivityClass,
  text: string,
  fields: Partial<Stmt>,
  lo: number,
  hi: number,
): Stmt {
  return {
    op,
    cls,
    text,
    params: [],
    target: fields.target ?? null,
    refText: fields.refText ?? null,
    reads: [],
    newObject: fields.newObject ?? null,
    rows: 0,
    durUs: Math.round(c.rng.logUniform(lo, hi)),
    error: null,
  };
}

export const addColumn: Template = (c, r) => {
  const [col, type] = c.rng.pick(NEW_COLUMNS);
  const ref = c.d.ref(r, c.rng);
  const text = c.d.addColumn(ref, col, c.d.types[type]);
  return ddl(c, 'alter_table', 'DDL', text, { target: r, refText: ref }, 3000, 2_000_000);
};

export const createIndex: Template = (c, r) => {
  const col = r.table.filters[0] ?? r.table.time ?? r.table.key;
  const ref = c.d.ref(r, c.rng);
  const name = c.d.name(`ix_${r.table.name.toLowerCase()}_${col.name}`);
  const text = `CREATE INDEX ${name} ON ${ref} (${col.name})`;
  return ddl(
    c,
    'create_index',
    'DDL',
    text,
    { target: r, refText: ref, newObject: name },
    50_000,
    90_000_000,
  );
};

export const dropIndex: Template = (c, r) => {
  const col = r.table.filters[0] ?? r.table.key;
  const name = c.d.name(`ix_${r.table.name.toLowerCase()}_${col.name}`);
  const ref = c.d.ref(r, c.rng);
  return ddl(
    c,
    'drop_index',
    'DDL',
    c.d.dropIndex(name, ref),
    { target: r, refText: ref, newObject: name },
    2000,
    300_000,
  );
};

function scratchName(c: StatementContext, base: string): string {
  const suffix = c.rng.chance(0.5) ? `archive_${c.today.slice(0, 4)}` : `tmp_${c.rng.hex(4)}`;
  return c.d.name(`${base.toLowerCase()}_${suffix}`);
}

export const createTable: Template = (c, r) => {
  const name = scratchName(c, r.table.name);
  const t = c.d.types;
  const multiLine = c.rng.chance(0.4);
  const schema = r.db.schema && c.rng.chance(0.5) ? `${r.db.schema}.` : '';
  const cols = [
    `id ${t.id} PRIMARY KEY`,
    `ref_id ${t.int} NOT NULL`,
    `payload ${t.text}`,
    `created_at ${t.ts}`,
  ];
  const body = multiLine ? `\n    ${cols.join(',\n    ')}\n` : cols.join(', ');
  const text = `CREATE TABLE ${schema}${name} (${body})`;
  return ddl(c, 'create_table', 'DDL', text, { newObject: name }, 3000, 400_000);
};

export const dropTable: Template = (c, r) => {
  const name = scratchName(c, r.table.name);
  return ddl(c, 'drop_table', 'DDL', c.d.dropTable(name), { newObject: name }, 2000, 900_000);
};

export const truncate: Template = (c, r) => {
  const ref = c.d.ref(r, c.rng);
  return ddl(c, 'truncate', 'DDL', c.d.truncate(ref), { target: r, refText: ref }, 5000, 3_000_000);
};

export const createView: Template = (c, r) => {
  const ref = c.d.ref(r, c.rng);
  const name = c.d.name(`v_${r.table.name.toLowerCase()}_recent`);
  const where = r.table.time ? ` WHERE ${c.d.recent(r.table.time.name, 30)}` : '';
  const text = `CREATE VIEW ${name} AS SELECT * FROM ${ref}${where}`;
  return ddl(c, 'create_view', 'DDL', text, { target: r, refText: ref, newObject: name }, 2000, 200_000);
};

export const renameTable: Template = (c, r) => {
  const ref = c.d.ref(r, c.rng);
  const name = c.d.name(`${r.table.name.toLowerCase()}_old`);
  const text = c.d.rename(ref, name);
  if (text === null) return addColumn(c, r);
  return ddl(c, 'rename', 'DDL', text, { target: r, refText: ref, newObject: name }, 2000, 100_000);
};

export const commentOn: Template = (c, r) => {
  const ref = c.d.ref(r, c.rng);
  const text = c.d.comment(ref, `Owned by team ${c.rng.pick(['checkout', 'finance', 'data', 'platform'])}`);
  if (text === null) return addColumn(c, r);
  return ddl(c, 'comment', 'DDL', text, { target: r, refText: ref }, 500, 20_000);
};

function grantee(c: StatementContext): string {
  return c.d.principal(c.rng.pick(c.grantees));
}

export const grant: Template = (c, r) => {
  const ref = c.d.ref(r, c.rng);
  const privs = c.rng.pick(['SELECT', 'SELECT', 'SELECT, INSERT, UPDATE', 'DELETE']);
  const text = `GRANT ${privs} ON ${ref} TO ${grantee(c)}`;
  return ddl(c, 'grant', 'DCL', text, { target: r, refText: ref }, 500, 30_000);
};

export const revoke: Template = (c, r) => {
  const ref = c.d.ref(r, c.rng);
  const privs = c.rng.pick(['INSERT, UPDATE', 'DELETE', 'SELECT']);
  const text = `REVOKE ${privs} ON ${ref} FROM ${grantee(c)}`;
  return ddl(c, 'revoke', 'DCL', text, { target: r, refText: ref }, 500, 30_000);
};

export const createRole: Template = (c) => {
  const name = c.d.name(c.rng.pick(ROLES));
  return ddl(c, 'create_role', 'DCL', c.d.createRole(name), { newObject: name }, 500, 30_000);
};

export const grantRole: Template = (c) => {
  const role = c.d.name(c.rng.pick(ROLES));
  return ddl(c, 'grant_role', 'DCL', c.d.grantRole(role, grantee(c)), { newObject: role }, 500, 30_000);
};

export const createUser: Template = (c, r) => {
  const name = c.d.name(c.rng.pick(NEW_USERS));
  const text = c.d.createUser(name);
  if (text === null) return createRole(c, r);
  return ddl(c, 'create_user', 'DCL', text, { newObject: name }, 500, 30_000);
};

export const setting: Template = (c) => ddl(c, 'set', 'OTHER', c.rng.pick(c.d.sets), {}, 20, 600);

export const maintenance: Template = (c, r) => {
  const ref = c.d.ref(r, c.rng);
  return ddl(
    c,
    'maintenance',
    'OTHER',
    c.d.maintenance(ref, r, c.rng),
    { target: r, refText: ref },
    200_000,
    120_000_000,
  );
};

export const callProc: Template = (c, r) =>
  ddl(c, 'call', 'OTHER', c.d.call(r.db, c.rng), {}, 2000, 5_000_000);

export const useDb: Template = (c, r) => {
  const text = c.d.use(r.db);
  if (text === null) return setting(c, r);
  return ddl(c, 'use', 'OTHER', text, {}, 20, 400);
};
