/**
 * The contract between the session simulator and the per-engine event builders
 * (engines/*.ts): session identity, and one function per kind of audit event.
 */
import type { ActivityClass } from '../../lib/audit/schema';
import type { DatabaseDef, InstancePlan, SourcePlan, UserKind } from './catalog';
import type { Dialect } from './dialect';
import type { Rng } from './random';
import type { Stmt } from './statements';
import type { TimestampFormatter } from './timeline';

import type { DasEvent } from './types';

export type { DasEvent } from './types';

/** One audit event with its simulated log time (µs) and intended class. */
export interface SimEvent {
  t: number;
  event: DasEvent;
  cls: ActivityClass;
}

/** Everything a builder needs about the instance; counters persist across sessions. */
export interface InstanceContext {
  plan: SourcePlan;
  inst: InstancePlan;
  rng: Rng;
  fmt: TimestampFormatter;
  fromUs: number;
  /** Engine-specific running numbers (MySQL statement ids, connection ids, Oracle session ids, SQL Server transaction ids). */
  counters: { statement: number; connection: number; session: number; transaction: number };
  /** MySQL: the server process id (constant until a restart). */
  processId: number;
  /** Process / session numbers held by open sessions (never handed out twice at once). */
  inUse: Set<number>;
}

export interface SessionState {
  kind: UserKind;
  user: string;
  db: DatabaseDef;
  app: string | null;
  host: string;
  /** Client port as text (null where the engine reports none). */
  port: string | null;
  pid: number | null;
  sessionId: string | number;
  /** Next per-session statement number. */
  seq: number;
  /** Transaction id text of the open transaction (engine format), or null. */
  txId: string | null;
  /** SQL Server connection_id (native fields). */
  connectionId: string;
  startUs: number;
  /** The number this session holds in `inUse` (PG pid, SQL Server spid), released at log-out. */
  slot: number | null;
}

/** A number in [lo, hi] no open session holds (if one is found quickly); marks it held. */
export function allocateSlot(x: InstanceContext, lo: number, hi: number): number {
  let n = x.rng.int(lo, hi);
  for (let tries = 0; tries < 64 && x.inUse.has(n); tries += 1) n = x.rng.int(lo, hi);
  x.inUse.add(n);
  return n;
}

export interface EngineModule {
  dialect: Dialect;
  /** Fills the engine's session identity (sessionId, pid, port) for a new session. */
  identify(x: InstanceContext, s: SessionState): void;
  connect(x: InstanceContext, s: SessionState, t: number): DasEvent;
  disconnect(x: InstanceContext, s: SessionState, t: number): DasEvent;
  /** A failed log-in; `attempt` counts consecutive failures (Oracle locks the account). */
  authFailure(x: InstanceContext, s: SessionState, t: number, attempt: number): DasEvent;
  /** MySQL only: the session switches user. */
  changeUser: ((x: InstanceContext, s: SessionState, t: number) => DasEvent) | null;
  /** Appends the statement's event(s) to `out` (at most 1 + maxAux); returns how many. */
  statement(
    x: InstanceContext,
    s: SessionState,
    st: Stmt,
    t: number,
    out: SimEvent[],
    maxAux: number,
  ): number;
  /** Transaction id text for a new transaction. */
  newTransaction(x: InstanceContext): string | null;
  /** A field AWS might add one day: [name, value maker]. */
  extraField: readonly [string, (rng: Rng) => unknown];
}
