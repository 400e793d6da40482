/**
 * Aurora MySQL (record version 1.2), samples #7–#13: every statement is a MAIN `QUERY` whose text
 * has backslash-escaped quotes, followed by AUX companions (same sessionId and statementId,
 * substatementId 2) naming each object touched; string exit codes, "" error messages, a
 * per-instance statement counter, the server process id in `pid`, instance name in `serverHost`.
 */
import type { ActivityClass } from '../../../lib/audit/schema';
import type { TableRef } from '../dialect';
import type { DasEvent, EngineModule, InstanceContext, SessionState } from '../engine';
import type { Stmt, StmtOp } from '../statements';
import { mysqlDialect } from './mysql-dialect';

const AUX_OP: Partial<Record<StmtOp, string>> = {
  select: 'READ',
  explain: 'READ',
  insert: 'WRITE',
  update: 'WRITE',
  delete: 'WRITE',
  upsert: 'WRITE',
  bulk_load: 'WRITE',
  create_table: 'CREATE',
  create_view: 'CREATE',
  create_index: 'ALTER',
  drop_index: 'ALTER',
  alter_table: 'ALTER',
  drop_table: 'DROP',
  truncate: 'DROP',
  rename: 'RENAME',
};
const AUX_CLASS: Readonly<Record<string, ActivityClass>> = {
  READ: 'DQL',
  WRITE: 'DML',
  CREATE: 'DDL',
  ALTER: 'DDL',
  DROP: 'DDL',
  RENAME: 'DDL',
};

function errorOf(st: Stmt, s: SessionState): readonly [string, string] {
  const name = st.error?.name ?? '';
  const table = st.target?.table.name ?? name;
  switch (st.error?.kind) {
    case 'missing_table':
      return ['1146', `Table '${s.db.name}.${name}' doesn't exist`];
    case 'missing_column':
      return ['1054', `Unknown column '${name}' in 'field list'`];
    case 'syntax':
      return [
        '1064',
        `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${name}' at line 1`,
      ];
    case 'permission':
      if (st.cls === 'DCL')
        return [
          '1227',
          'Access denied; you need (at least one of) the CREATE USER privilege(s) for this operation',
        ];
      return [
        '1142',
        `${st.op === 'select' ? 'SELECT' : st.cls === 'DDL' ? 'DROP' : 'UPDATE'} command denied to user '${s.user}'@'${s.host}' for table '${table}'`,
      ];
    case 'duplicate':
      return ['1062', `Duplicate entry '${name}' for key '${table}.PRIMARY'`];
    case 'exists':
      return ['1050', `Table '${name}' already exists`];
    case 'read_only':
      return [
        '1290',
        'The MySQL server is running with the --read-only option so it cannot execute this statement',
      ];
    case 'timeout':
      return ['3024', 'Query execution was interrupted, maximum statement execution time exceeded'];
    case 'deadlock':
      return ['1213', 'Deadlock found when trying to get lock; try restarting transaction'];
    default:
      return [
        '1366',
        `Incorrect integer value: 'n/a' for column '${st.target?.table.key.name ?? 'id'}' at row 1`,
      ];
  }
}

interface Fields {
  logUs: number;
  startUs: number;
  endUs: number;
  command: string;
  commandText: string;
  objectName: string;
  statementId: number;
  substatementId: number;
  exitCode: string;
  rowCount: number;
  transactionId: string;
  errorMessage: string;
  cls: 'MAIN' | 'AUX';
  databaseName?: string;
}

function event(x: InstanceContext, s: SessionState, f: Fields): DasEvent {
  const fmt = x.fmt;
  return {
    logTime: fmt.format(f.logUs),
    type: 'record',
    clientApplication: null,
    pid: x.processId,
    dbUserName: s.user,
    databaseName: f.databaseName ?? s.db.name,
    remoteHost: s.host,
    remotePort: s.port,
    command: f.command,
    commandText: f.commandText,
    paramList: null,
    objectType: 'TABLE',
    objectName: f.objectName,
    statementId: f.statementId,
    substatementId: f.substatementId,
    exitCode: f.exitCode,
    sessionId: s.sessionId,
    rowCount: f.rowCount,
    serverHost: x.inst.serverHost,
    serverType: 'MySQL',
    serviceName: 'Amazon Aurora MySQL',
    serverVersion: x.plan.serverVersion,
    startTime: fmt.format(Math.max(x.fromUs, f.startUs)),
    endTime: fmt.format(f.endUs),
    transactionId: f.transactionId,
    dbProtocol: 'MySQL',
    netProtocol: 'TCP',
    errorMessage: f.errorMessage,
    class: f.cls,
  };
}

function connection(
  x: InstanceContext,
  s: SessionState,
  t: number,
  command: string,
  exitCode: string,
): DasEvent {
  const start = t - x.rng.int(5, 400);
  return event(x, s, {
    logUs: t,
    startUs: start,
    endUs: t - 1,
    command,
    commandText: '',
    objectName: '',
    statementId: 0,
    substatementId: 1,
    exitCode,
    rowCount: 0,
    transactionId: '0',
    errorMessage: '',
    cls: 'MAIN',
    databaseName: command === 'FAILED_CONNECT' ? '' : s.db.name,
  });
}

function objectsOf(st: Stmt): string[] {
  if (st.target) return [st.target.table.name, ...st.reads.map((r: TableRef) => r.table.name)];
  return st.newObject ? [st.newObject] : [];
}

export const mysql: EngineModule = {
  dialect: mysqlDialect,
  identify(x, s) {
    x.counters.connection += x.rng.int(1, 6);
    s.sessionId = String(x.counters.connection);
    s.pid = x.processId;
    s.port = String(x.rng.int(10_000, 60_999));
  },
  connect: (x, s, t) => connection(x, s, t, 'CONNECT', '0'),
  disconnect: (x, s, t) => connection(x, s, t, 'DISCONNECT', '0'),
  authFailure: (x, s, t) => connection(x, s, t, 'FAILED_CONNECT', '1045'),
  changeUser: (x, s, t) => connection(x, s, t, 'CHANGEUSER', '0'),
  statement(x, s, st, t, out, maxAux) {
    x.counters.statement += 1;
    const statementId = x.counters.statement;
    const objects = objectsOf(st);
    const [exitCode, errorMessage] = st.error ? errorOf(st, s) : ['0', ''];
    const startUs = t - st.durUs;
    const main = event(x, s, {
      logUs: t,
      startUs,
      endUs: t + 1,
      command: 'QUERY',
      commandText: st.text.replace(/'/g, "\\'"),
      objectName: st.error ? '' : objects.join(','),
      statementId,
      substatementId: 1,
      exitCode,
      rowCount: st.cls === 'DML' || st.cls === 'DQL' ? st.rows : 0,
      transactionId: st.cls === 'DML' && s.txId ? s.txId : '0',
      errorMessage,
      cls: 'MAIN',
    });
    out.push({ t, event: main, cls: st.cls });
    const op = AUX_OP[st.op];
    if (!op || st.error) return 1;
    const n = Math.min(maxAux, objects.length);
    for (let i = 0; i < n; i += 1) {
      const name = objects[i] ?? '';
      const auxOp = i === 0 ? op : 'READ';
      const logUs = Math.max(startUs + 1, x.fromUs, t - x.rng.int(2, 3000));
      const aux = event(x, s, {
        logUs,
        startUs,
        endUs: logUs,
        command: auxOp,
        commandText: name,
        objectName: name,
        statementId,
        substatementId: 2,
        exitCode: '',
        rowCount: 0,
        transactionId: main.transactionId === '0' ? '0' : String(main.transactionId),
        errorMessage: '',
        cls: 'AUX',
      });
      out.push({ t: logUs, event: aux, cls: AUX_CLASS[auxOp] ?? 'OTHER' });
    }
    return 1 + n;
  },
  newTransaction: (x) => {
    x.counters.transaction += x.rng.int(1, 40);
    return String(x.counters.transaction);
  },
  extraField: ['threadOsId', (rng) => rng.int(1000, 90_000)],
};
