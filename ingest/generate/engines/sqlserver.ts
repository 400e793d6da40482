/**
 * RDS for SQL Server (record version 1.4), samples #17–#19: 7-digit fractions, clusterId '',
 * numeric `succeeded` exit codes (1 / 0), hex `sequence_group_id` statement ids, numeric session
 * ids, class = objectType = class_type_desc (TABLE, SCHEMA, LOGIN, …); CREATE TABLE audited as
 * ALTER on the SCHEMA; statement failures other than permission checks stay at exitCode 1.
 */
import {
  allocateSlot,
  type DasEvent,
  type EngineModule,
  type InstanceContext,
  type SessionState,
} from '../engine';
import type { Stmt, StmtOp } from '../statements';
import { sqlserverDialect } from './sqlserver-dialect';
import { type NativeInput, nativeFields } from './sqlserver-native';

const ACTIONS: Partial<Record<StmtOp, readonly [string, string]>> = {
  select: ['SELECT', 'TABLE'],
  show: ['SELECT', 'DATABASE'],
  insert: ['INSERT', 'TABLE'],
  bulk_load: ['INSERT', 'TABLE'],
  update: ['UPDATE', 'TABLE'],
  upsert: ['UPDATE', 'TABLE'],
  delete: ['DELETE', 'TABLE'],
  begin: ['TRANSACTION BEGIN', 'DATABASE'],
  commit: ['TRANSACTION COMMIT', 'DATABASE'],
  rollback: ['TRANSACTION ROLLBACK', 'DATABASE'],
  create_table: ['ALTER', 'SCHEMA'],
  create_view: ['ALTER', 'SCHEMA'],
  alter_table: ['ALTER', 'TABLE'],
  create_index: ['ALTER', 'TABLE'],
  drop_index: ['ALTER', 'TABLE'],
  truncate: ['ALTER', 'TABLE'],
  drop_table: ['DROP', 'TABLE'],
  grant: ['GRANT', 'TABLE'],
  revoke: ['REVOKE', 'TABLE'],
  create_role: ['CREATE', 'DATABASE ROLE'],
  grant_role: ['ADD MEMBER', 'DATABASE ROLE'],
  create_user: ['CREATE', 'SQL LOGIN'],
};

function actionOf(st: Stmt, s: SessionState): readonly [string, string, string] {
  const known = ACTIONS[st.op];
  if (st.op === 'select' && !st.target) return ['SELECT', 'DATABASE', s.db.name];
  if (known) {
    const [command, cls] = known;
    if (cls === 'SCHEMA') return [command, cls, s.db.schema];
    if (cls === 'DATABASE') return [command, cls, s.db.name];
    if (cls === 'TABLE') return [command, cls, st.target?.table.name ?? st.newObject ?? ''];
    return [command, cls, st.newObject ?? ''];
  }
  if (/^DBCC/i.test(st.text)) return ['DBCC', 'DATABASE', s.db.name];
  const proc = /^EXEC(?:UTE)?\s+(?:\w+\.)?(\w+)/i.exec(st.text)?.[1] ?? '';
  return ['EXECUTE', 'STORED PROCEDURE', proc];
}

function event(x: InstanceContext, s: SessionState, t: number, f: DasEvent, native: NativeInput): DasEvent {
  return {
    class: f.class,
    clientApplication: s.app,
    command: native.command,
    commandText: f.commandText,
    databaseName: f.databaseName ?? s.db.name,
    dbProtocol: 'SQLSERVER',
    dbUserName: s.user,
    endTime: null,
    errorMessage: null,
    exitCode: f.exitCode,
    logTime: x.fmt.format(t, x.rng.int(0, 9)),
    netProtocol: null,
    objectName: native.objectName,
    objectType: f.class,
    paramList: null,
    pid: null,
    remoteHost: s.host,
    remotePort: null,
    rowCount: f.rowCount,
    serverHost: x.inst.serverHost,
    serverType: 'SQLSERVER',
    serverVersion: x.plan.serverVersion,
    serviceName: x.plan.serviceName,
    sessionId: f.sessionId ?? s.sessionId,
    startTime: null,
    statementId: `0x${x.rng.hex(32)}`,
    substatementId: 1,
    transactionId: f.transactionId,
    type: 'record',
    engineNativeAuditFields: x.plan.nativeFields ? nativeFields(native) : {},
  };
}

function native(
  x: InstanceContext,
  s: SessionState,
  command: string,
  login: NativeInput['login'],
): NativeInput {
  return {
    user: s.user,
    hostName: x.plan.hostName,
    connectionId: s.connectionId,
    command,
    schemaName: '',
    objectName: '',
    rows: 0,
    address: s.host,
    login,
  };
}

function loginEvent(x: InstanceContext, s: SessionState, t: number, command: string): DasEvent {
  const f = { class: 'LOGIN', commandText: '', exitCode: 1, rowCount: 0, transactionId: '0' };
  return event(x, s, t, f, native(x, s, command, 'ok'));
}

function isKnownLogin(x: InstanceContext, user: string): boolean {
  return Object.values(x.plan.usersByKind).some((list) => list.some((u) => u.name === user));
}

export const sqlserver: EngineModule = {
  dialect: sqlserverDialect,
  identify(x, s) {
    s.slot = allocateSlot(x, 51, 400);
    s.sessionId = s.slot;
    s.pid = null;
    s.port = null;
    s.connectionId = x.rng.uuid().toUpperCase();
  },
  connect: (x, s, t) => loginEvent(x, s, t, 'LOGIN SUCCEEDED'),
  disconnect: (x, s, t) => loginEvent(x, s, t, 'LOGOUT'),
  authFailure(x, s, t) {
    const known = isKnownLogin(x, s.user) || s.user === 'admin';
    const reason =
      s.user === 'sa'
        ? 'The account is disabled.'
        : known
          ? 'Password did not match that for the login provided.'
          : 'Could not find a login matching the name provided.';
    const commandText = `Login failed for user '${s.user}'. Reason: ${reason} [CLIENT: ${s.host}]`;
    const f = {
      class: 'LOGIN',
      commandText,
      exitCode: 0,
      rowCount: 0,
      transactionId: '0',
      databaseName: '',
      sessionId: 0,
    };
    return event(x, s, t, f, native(x, s, 'LOGIN FAILED', known ? 'bad-password' : 'unknown-login'));
  },
  changeUser: null,
  statement(x, s, st, t, out) {
    const [command, cls, objectName] = actionOf(st, s);
    const counted = st.cls === 'DML' || st.cls === 'DQL';
    const tx = s.txId ?? (counted || st.cls === 'DDL' ? sqlserver.newTransaction(x) : null);
    const f = {
      class: cls,
      commandText: st.text,
      exitCode: st.error ? 0 : 1,
      rowCount: counted && !st.error ? st.rows : 0,
      transactionId: tx ?? '0',
    };
    const n: NativeInput = {
      ...native(x, s, command, null),
      schemaName: cls === 'TABLE' ? s.db.schema : '',
      objectName,
      rows: f.rowCount,
    };
    out.push({ t, event: event(x, s, t, f, n), cls: st.cls });
    return 1;
  },
  newTransaction: (x) => {
    x.counters.transaction += x.rng.int(1, 30);
    return String(x.counters.transaction);
  },
  extraField: ['sequenceGroupHint', (rng) => rng.int(0, 9)],
};
