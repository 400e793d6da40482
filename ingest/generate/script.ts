/**
 * What an open session does next: the log-in/statement/transaction/log-out script, with failures
 * and think time. Keeps the session's remaining event budget consistent so that every transaction
 * is closed and every session logs out within its budget.
 */
import type { EngineModule, InstanceContext, SessionState } from './engine';
import { ERROR_RATE, type SessionKind, thinkTime } from './profiles';
import { buildStatement, nextClass } from './statement-mix';
import {
  failStatement,
  type StatementClass,
  type StatementContext,
  type Stmt,
  transactionControl,
} from './statements';

export type Action =
  | { type: 'connect' }
  | { type: 'disconnect' }
  | { type: 'auth' }
  | { type: 'changeuser'; user: string }
  | { type: 'statement'; stmt: Stmt };

export interface ActiveSession {
  s: SessionState;
  kind: SessionKind;
  /** Log time (µs) of the planned action. */
  next: number;
  /** Events left in the session's budget, log-out included. */
  remaining: number;
  action: Action;
  readOnly: boolean;
  inTx: boolean;
  /** Statements still to send inside the open transaction. */
  txLeft: number;
  /** The open transaction hit an error: roll it back. */
  txFailed?: boolean;
  attempts: number;
  ctx: StatementContext;
}

function schedule(a: ActiveSession, gap: number, dur: number, maxUs: number): void {
  const t = a.next;
  const wanted = t + gap + dur;
  // Near the end of the span, squeeze the rest of the session in before `to`.
  a.next =
    wanted <= maxUs ? wanted : Math.min(maxUs, t + Math.max(1, Math.floor((maxUs - t) / (a.remaining + 1))));
}

function withFailure(x: InstanceContext, a: ActiveSession, st: Stmt, cls: StatementClass): Stmt {
  if (st.cls === 'TCL') return st;
  const rng = x.rng;
  const readOnlyWrite = a.readOnly && (st.cls === 'DML' || st.cls === 'DDL' || st.cls === 'DCL');
  if (!readOnlyWrite && !rng.chance(ERROR_RATE[a.s.kind])) return st;
  // SQL Server audits only the permission check (succeeded = 0); other failures are not visible.
  const forced = readOnlyWrite ? 'read_only' : x.plan.engine === 'sqlserver' ? 'permission' : undefined;
  const failed = failStatement(st, rng, cls, forced);
  if (a.inTx) {
    a.txLeft = 0;
    a.txFailed = true;
  }
  return failed;
}

function startTransaction(
  x: InstanceContext,
  engine: EngineModule,
  a: ActiveSession,
  statements: number,
): Stmt {
  a.inTx = true;
  a.txFailed = false;
  a.s.txId = engine.newTransaction(x);
  if (engine.dialect.begin !== null) {
    a.txLeft = statements;
    return transactionControl(a.ctx, 'begin');
  }
  // Implicit transaction (Oracle): the first write opens it.
  a.txLeft = statements - 1;
  return buildStatement(a.ctx, a.s.kind, 'DML');
}

function bodyStatement(x: InstanceContext, engine: EngineModule, a: ActiveSession): Stmt {
  const rng = x.rng;
  const kind = a.s.kind;
  if (a.inTx) {
    if (a.txLeft <= 0 || a.remaining <= 2) {
      const op = a.txFailed || rng.chance(0.03) ? 'rollback' : 'commit';
      a.inTx = false;
      a.txLeft = 0;
      a.txFailed = false;
      return transactionControl(a.ctx, op);
    }
    a.txLeft -= 1;
    if (engine.dialect.savepoint && rng.chance(0.04)) return transactionControl(a.ctx, 'savepoint');
    const cls: StatementClass =
      kind === 'migration' ? nextClass(rng, kind, a.readOnly) : rng.chance(0.8) ? 'DML' : 'DQL';
    return withFailure(x, a, buildStatement(a.ctx, kind, cls), cls);
  }
  const transactionalDdl = x.plan.engine === 'postgresql' || x.plan.engine === 'sqlserver';
  if (kind === 'migration' && transactionalDdl && a.remaining >= 4) {
    return startTransaction(x, engine, a, Math.min(a.remaining - 3, 40));
  }
  const cls = nextClass(rng, kind, a.readOnly);
  const explicit = engine.dialect.begin === null || rng.chance(kind === 'app' ? 0.5 : 0.2);
  if (cls === 'DML' && !a.readOnly && explicit && a.remaining >= 4) {
    const st = startTransaction(x, engine, a, Math.min(rng.int(1, 4), a.remaining - 3));
    return st.cls === 'TCL' ? st : withFailure(x, a, st, 'DML');
  }
  const st = withFailure(x, a, buildStatement(a.ctx, kind, cls), cls);
  // Auto-committed writes outside a transaction still get a transaction id (Oracle DDL, SQL Server).
  if (engine.dialect.begin === null && (st.cls === 'DDL' || st.cls === 'DCL' || st.cls === 'DML'))
    a.s.txId = engine.newTransaction(x);
  return st;
}

/** Plans a session's next action and its log time. */
export function planNext(x: InstanceContext, engine: EngineModule, a: ActiveSession, maxUs: number): void {
  const rng = x.rng;
  if (a.kind === 'attack' || a.kind === 'typo') {
    a.action = { type: 'auth' };
    schedule(a, thinkTime(rng, 'attack'), 0, maxUs);
    return;
  }
  if (a.remaining === 1) {
    a.action = { type: 'disconnect' };
    schedule(a, Math.floor(thinkTime(rng, a.kind) / 4), rng.int(50, 3000), maxUs);
    return;
  }
  const others = x.plan.usersByKind.app;
  if (
    engine.changeUser &&
    a.kind === 'app' &&
    !a.inTx &&
    a.remaining >= 3 &&
    others.length > 1 &&
    rng.chance(0.003)
  ) {
    const user = rng.pick(others).name;
    if (user !== a.s.user) {
      a.action = { type: 'changeuser', user };
      schedule(a, thinkTime(rng, a.kind), rng.int(50, 2000), maxUs);
      return;
    }
  }
  const stmt = bodyStatement(x, engine, a);
  a.action = { type: 'statement', stmt };
  schedule(a, thinkTime(rng, a.kind), stmt.durUs, maxUs);
}
