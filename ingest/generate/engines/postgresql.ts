/**
 * Aurora PostgreSQL (record version 1.1): field order, JSON types and values as in das-format §3
 * and samples #1–#6 — pgaudit classes, command tags, SQLSTATE exit codes with errorMessage,
 * `"<hex start epoch>.<hex pid>"` session ids, bind values in paramList.
 */
import {
  allocateSlot,
  type DasEvent,
  type EngineModule,
  type InstanceContext,
  type SessionState,
} from '../engine';
import type { Stmt, StmtOp } from '../statements';
import { postgresDialect } from './postgresql-dialect';

const SERVICE = 'Amazon Aurora PostgreSQL-Compatible edition';

const TAGS: Partial<Record<StmtOp, string>> = {
  select: 'SELECT',
  explain: 'EXPLAIN',
  show: 'SHOW',
  insert: 'INSERT',
  update: 'UPDATE',
  delete: 'DELETE',
  upsert: 'INSERT',
  bulk_load: 'COPY',
  begin: 'BEGIN',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  savepoint: 'SAVEPOINT',
  create_table: 'CREATE TABLE',
  alter_table: 'ALTER TABLE',
  create_index: 'CREATE INDEX',
  drop_index: 'DROP INDEX',
  drop_table: 'DROP TABLE',
  truncate: 'TRUNCATE TABLE',
  create_view: 'CREATE VIEW',
  rename: 'ALTER TABLE',
  comment: 'COMMENT',
  grant: 'GRANT',
  revoke: 'REVOKE',
  create_role: 'CREATE ROLE',
  grant_role: 'GRANT ROLE',
  create_user: 'CREATE ROLE',
};

// pgaudit statement classes (W-APG).
function auditClass(st: Stmt): string {
  switch (st.cls) {
    case 'DQL':
      return st.op === 'show' || st.op === 'explain' ? 'MISC' : 'READ';
    case 'DML':
      return 'WRITE';
    case 'DDL':
      return st.op === 'truncate' ? 'WRITE' : 'DDL';
    case 'DCL':
      return 'ROLE';
    default:
      return st.op === 'call' ? 'FUNCTION' : 'MISC';
  }
}

function commandTag(st: Stmt): string {
  const tag = TAGS[st.op];
  if (tag) return tag;
  const m = /^(DISCARD ALL|RESET|SET|VACUUM|ANALYZE|CALL|DO)\b/i.exec(st.text);
  return m?.[1]?.toUpperCase() ?? 'SET';
}

function errorOf(st: Stmt, s: SessionState): readonly [string, string] {
  const e = st.error;
  const name = e?.name ?? '';
  switch (e?.kind) {
    case 'missing_table':
      return ['42P01', `relation "${name}" does not exist`];
    case 'missing_column':
      return ['42703', `column "${name}" does not exist`];
    case 'syntax':
      return ['42601', `syntax error at or near "${name}"`];
    case 'permission':
      if (st.op === 'create_role' || st.op === 'create_user')
        return ['42501', 'permission denied to create role'];
      if (st.cls === 'DDL' || st.cls === 'DCL') return ['42501', `must be owner of table ${name}`];
      return ['42501', `permission denied for table ${name}`];
    case 'duplicate':
      return [
        '23505',
        `duplicate key value violates unique constraint "${st.target?.table.name ?? name}_pkey"`,
      ];
    case 'exists':
      return ['42P07', `relation "${name}" already exists`];
    case 'read_only':
      return ['25006', `cannot execute ${commandTag(st)} in a read-only transaction`];
    case 'timeout':
      return ['57014', 'canceling statement due to statement timeout'];
    case 'deadlock':
      return ['40P01', 'deadlock detected'];
    default:
      return ['22P02', `invalid input syntax for type bigint: "${s.user.slice(0, 3)}"`];
  }
}

function objectOf(st: Stmt): readonly [string | null, string | null] {
  if (st.error && (st.error.kind === 'missing_table' || st.error.kind === 'syntax')) return [null, null];
  const schema = st.target?.db.schema ?? 'public';
  if (st.op === 'create_table') return [null, null]; // as AWS's CREATE TABLE sample
  if (st.op === 'create_index' || st.op === 'drop_index') return ['INDEX', `${schema}.${st.newObject}`];
  if (st.op === 'create_view') return ['VIEW', `${schema}.${st.newObject}`];
  if (st.op === 'drop_table') return ['TABLE', `${st.target?.db.schema ?? 'public'}.${st.newObject}`];
  if (st.target) return ['TABLE', `${schema}.${st.target.table.name}`];
  return [null, null];
}

interface Fields {
  startUs: number;
  objectType: string | null;
  command: string;
  objectName: string | null;
  rowCount: number | null;
  commandText: string | null;
  paramList: string[];
  app: string | null;
  exitCode: string | null;
  auditClass: string;
  errorMessage: string | null;
}

// One object literal in AWS's field order (sample #1); no spreads: this runs once per event.
function event(x: InstanceContext, s: SessionState, t: number, f: Fields): DasEvent {
  return {
    startTime: x.fmt.format(Math.max(x.fromUs, f.startUs)),
    logTime: x.fmt.format(t),
    statementId: s.seq++,
    substatementId: 1,
    objectType: f.objectType,
    command: f.command,
    objectName: f.objectName,
    databaseName: s.db.name,
    dbUserName: s.user,
    remoteHost: s.host,
    remotePort: s.port,
    sessionId: s.sessionId,
    rowCount: f.rowCount,
    commandText: f.commandText,
    paramList: f.paramList,
    pid: s.pid,
    clientApplication: f.app,
    exitCode: f.exitCode,
    class: f.auditClass,
    serverVersion: x.plan.serverVersion,
    serverType: 'PostgreSQL',
    serviceName: SERVICE,
    serverHost: x.inst.serverHost,
    netProtocol: 'TCP',
    dbProtocol: 'Postgres 3.0',
    type: 'record',
    errorMessage: f.errorMessage,
  };
}

function sessionEvent(
  x: InstanceContext,
  s: SessionState,
  t: number,
  command: string,
  exitCode: string | null,
  errorMessage: string | null,
): DasEvent {
  return event(x, s, t, {
    startUs: t - x.rng.int(800, 40_000),
    objectType: null,
    command,
    objectName: null,
    rowCount: null,
    commandText: null,
    paramList: [],
    // AWS's AUTH FAILURE sample carries no client application.
    app: command === 'AUTH FAILURE' ? null : s.app,
    exitCode,
    auditClass: 'MISC',
    errorMessage,
  });
}

export const postgresql: EngineModule = {
  dialect: postgresDialect,
  identify(x, s) {
    s.pid = allocateSlot(x, 1200, 65_000);
    s.slot = s.pid;
    s.port = String(x.rng.int(32_768, 60_999));
    s.sessionId = `${Math.floor(s.startUs / 1e6 - x.rng.int(0, 2)).toString(16)}.${s.pid.toString(16)}`;
  },
  connect: (x, s, t) => sessionEvent(x, s, t, 'CONNECT', null, null),
  disconnect: (x, s, t) => sessionEvent(x, s, t, 'DISCONNECT', null, null),
  authFailure: (x, s, t) =>
    sessionEvent(x, s, t, 'AUTH FAILURE', '28P01', `password authentication failed for user "${s.user}"`),
  changeUser: null,
  statement(x, s, st, t, out) {
    const [objectType, objectName] = objectOf(st);
    const [exitCode, errorMessage] = st.error ? errorOf(st, s) : [null, null];
    const counted = !st.error && (st.cls === 'DQL' || st.cls === 'DML');
    const ev = event(x, s, t, {
      startUs: t - st.durUs,
      objectType,
      command: commandTag(st),
      objectName,
      rowCount: counted ? st.rows : null,
      commandText: st.text,
      paramList: st.params,
      app: s.app,
      exitCode,
      auditClass: auditClass(st),
      errorMessage,
    });
    out.push({ t, event: ev, cls: st.cls });
    return 1;
  },
  newTransaction: () => null,
  extraField: ['queryId', (rng) => `-${rng.digits(18).replace(/^0+/, '1')}`],
};
