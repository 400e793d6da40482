/**
 * RDS for Oracle (record version 1.3), samples #15–#16: no `type` field, offset-less UTC times,
 * upper-case users, `objectType` = owning schema, numeric RETURN_CODE exit codes, `dbid`,
 * null start/end/rowCount/substatementId, `engineNativeAuditFields` {} (stream started without
 * the native-fields flag).
 */
import type { DasEvent, EngineModule, InstanceContext, SessionState } from '../engine';
import type { Stmt, StmtOp } from '../statements';
import { oracleDialect } from './oracle-dialect';

const NO_TRANSACTION = '0000000000000000';

const ACTIONS: Partial<Record<StmtOp, string>> = {
  select: 'SELECT',
  show: 'SELECT',
  explain: 'EXPLAIN',
  insert: 'INSERT',
  bulk_load: 'INSERT',
  update: 'UPDATE',
  upsert: 'UPDATE',
  delete: 'DELETE',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  savepoint: 'SAVEPOINT',
  create_table: 'CREATE TABLE',
  alter_table: 'ALTER TABLE',
  rename: 'ALTER TABLE',
  create_index: 'CREATE INDEX',
  drop_index: 'DROP INDEX',
  drop_table: 'DROP TABLE',
  truncate: 'TRUNCATE TABLE',
  create_view: 'CREATE VIEW',
  comment: 'COMMENT',
  grant: 'GRANT',
  revoke: 'REVOKE',
  create_role: 'CREATE ROLE',
  grant_role: 'GRANT',
  create_user: 'CREATE USER',
};

function action(st: Stmt): string {
  const known = ACTIONS[st.op];
  if (known) return known;
  if (/^LOCK TABLE/i.test(st.text)) return 'LOCK TABLE';
  if (/^ANALYZE TABLE/i.test(st.text)) return 'ANALYZE TABLE';
  return 'EXECUTE';
}

const ERROR_CODES: Readonly<Record<string, number>> = {
  missing_table: 942,
  missing_column: 904,
  syntax: 900,
  permission: 1031,
  duplicate: 1,
  exists: 955,
  read_only: 16_000,
  timeout: 1013,
  deadlock: 60,
  bad_input: 1722,
};

function event(
  x: InstanceContext,
  s: SessionState,
  t: number,
  fields: DasEvent,
  objectSchema: string | null,
): DasEvent {
  const local = s.kind === 'service';
  return {
    class: 'Standard',
    clientApplication: s.app,
    command: fields.command,
    commandText: fields.commandText,
    dbid: x.plan.dbid,
    databaseName: s.db.name,
    dbProtocol: 'oracle',
    dbUserName: s.user,
    endTime: null,
    errorMessage: null,
    exitCode: fields.exitCode,
    logTime: x.fmt.format(t),
    netProtocol: local ? 'beq' : 'tcp',
    objectName: fields.objectName,
    objectType: objectSchema,
    paramList: [],
    pid: s.pid,
    remoteHost: s.host,
    remotePort: local ? null : s.port,
    rowCount: null,
    serverHost: x.inst.serverHost,
    serverType: 'oracle',
    serverVersion: x.plan.serverVersion,
    serviceName: x.plan.serviceName,
    sessionId: s.sessionId,
    startTime: null,
    statementId: s.seq++,
    substatementId: null,
    transactionId: fields.transactionId,
    engineNativeAuditFields: {},
  };
}

function logon(x: InstanceContext, s: SessionState, t: number, command: string, exitCode: number): DasEvent {
  return event(
    x,
    s,
    t,
    { command, commandText: null, exitCode, objectName: null, transactionId: NO_TRANSACTION },
    null,
  );
}

export const oracle: EngineModule = {
  dialect: oracleDialect,
  identify(x, s) {
    x.counters.session += x.rng.int(1, 40);
    s.sessionId = x.counters.session;
    s.pid = x.rng.int(1500, 48_000);
    s.port = String(x.rng.int(10_000, 60_999));
  },
  connect: (x, s, t) => logon(x, s, t, 'LOGON', 0),
  disconnect: (x, s, t) => logon(x, s, t, 'LOGOFF', 0),
  // ORA-01017 invalid username/password; after ten tries the profile locks the account (ORA-28000).
  authFailure: (x, s, t, attempt) => logon(x, s, t, 'LOGON', attempt > 10 ? 28_000 : 1017),
  changeUser: null,
  statement(x, s, st, t, out) {
    const failedLookup = st.error?.kind === 'missing_table' || st.error?.kind === 'syntax';
    const objectName = failedLookup ? null : (st.target?.table.name ?? st.newObject);
    const schema = objectName ? (st.target?.db.schema ?? s.db.schema) : null;
    const writes = st.cls === 'DML' || st.cls === 'DDL' || st.cls === 'DCL';
    const fields = {
      command: action(st),
      commandText: st.text,
      exitCode: st.error ? (ERROR_CODES[st.error.kind] ?? 1) : 0,
      objectName,
      transactionId: writes && s.txId ? s.txId : NO_TRANSACTION,
    };
    out.push({ t, event: event(x, s, t, fields, schema), cls: st.cls });
    return 1;
  },
  newTransaction: (x) => x.rng.hex(16).toUpperCase(),
  extraField: ['conId', (rng) => rng.int(0, 3)],
};
