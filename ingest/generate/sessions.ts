/**
 * The per-instance session simulator. Sessions start at the times that spread the instance's event
 * budget over the activity curve, run concurrently (a heap orders their next events), and each
 * follows log-in → statements (with transactions and failures) → log-out. Emits events in log-time
 * order, exactly `budget` of them, holding only the open sessions in memory.
 */
import type { InstancePlan, SourcePlan } from './catalog';
import type { EngineModule, InstanceContext, SessionState, SimEvent } from './engine';
import { SessionHeap } from './heap';
import {
  identityFor,
  kindWeights,
  pickKind,
  type SessionKind,
  serviceDatabase,
  sessionLength,
  usesBinds,
} from './profiles';
import { Rng } from './random';
import { type ActiveSession, planNext } from './script';
import { type Timeline, TimestampFormatter } from './timeline';
import { dayText } from './values';

/** Every so many events of an instance, one carries a field AWS might add one day. */
const EXTRA_FIELD_EVERY: readonly [number, number] = [400, 2400];
const STYLE = { postgresql: 'utc6', mysql: 'utc6', oracle: 'bare6', sqlserver: 'utc7' } as const;

export class InstanceSim {
  private readonly x: InstanceContext;
  private readonly heap = new SessionHeap<ActiveSession>();
  private readonly maxUs: number;
  private readonly serviceDb;
  private readonly grantees: string[];
  private assigned = 0;
  private untilExtra: number;
  private pending: ActiveSession | null;

  constructor(
    private readonly plan: SourcePlan,
    inst: InstancePlan,
    private readonly engine: EngineModule,
    private readonly budget: number,
    private readonly timeline: Timeline,
    seed: number,
    stream: number,
  ) {
    const rng = new Rng(seed, stream);
    this.x = {
      plan,
      inst,
      rng,
      fmt: new TimestampFormatter(STYLE[plan.engine]),
      fromUs: timeline.fromUs,
      counters: {
        statement: rng.int(1_000_000, 90_000_000),
        connection: rng.int(1000, 900_000),
        session: rng.int(1_000_000_000, 3_000_000_000),
        transaction: rng.int(1_000_000, 9_000_000),
      },
      processId: rng.int(1000, 30_000),
      inUse: new Set(),
    };
    this.maxUs = timeline.toUs - 2000;
    this.serviceDb = serviceDatabase(plan);
    // Privileges go to applications, reports, batch jobs and people, not to DBAs or service accounts.
    const { app, reporting, etl, human } = plan.usersByKind;
    this.grantees = [...app, ...reporting, ...etl, ...human].map((u) => u.name);
    this.untilExtra = rng.int(...EXTRA_FIELD_EVERY);
    this.pending = this.createSession();
  }

  /** Appends the next step's events (one statement, possibly with AUX companions) to `out`. */
  step(out: SimEvent[]): boolean {
    while (this.pending && (this.heap.size === 0 || this.pending.next <= this.heap.peekKey())) {
      this.heap.push(this.pending, this.pending.next);
      this.pending = this.createSession();
    }
    const a = this.heap.pop();
    if (!a) return false;
    const first = out.length;
    this.emit(a, out);
    this.untilExtra -= out.length - first;
    const e = out[first];
    if (this.untilExtra <= 0 && e) {
      const [name, make] = this.engine.extraField;
      e.event[name] = make(this.x.rng);
      this.untilExtra = this.x.rng.int(...EXTRA_FIELD_EVERY);
    }
    if (a.remaining > 0) {
      planNext(this.x, this.engine, a, this.maxUs);
      this.heap.push(a, a.next);
    }
    return true;
  }

  private createSession(): ActiveSession | null {
    const left = this.budget - this.assigned;
    if (left <= 0) return null;
    const rng = this.x.rng;
    const startUs = Math.min(this.maxUs, this.timeline.at((this.assigned + rng.next()) / this.budget));
    let kind: SessionKind = pickKind(rng, kindWeights(this.plan, this.x.inst, startUs));
    let length = sessionLength(rng, kind);
    if (left - length < 2) length = left;
    if (length === 1 && kind !== 'attack') kind = 'typo';
    if (length > 1 && kind === 'typo') kind = 'attack';
    this.assigned += length;
    const id = identityFor(rng, this.plan, kind, this.serviceDb);
    const s: SessionState = {
      kind: id.user.kind,
      user: id.user.name,
      db: id.db,
      app: id.app,
      host: id.host,
      port: null,
      pid: null,
      sessionId: 0,
      seq: 1,
      txId: null,
      connectionId: '',
      startUs,
      slot: null,
    };
    this.engine.identify(this.x, s);
    const auth = kind === 'attack' || kind === 'typo';
    return {
      s,
      kind,
      next: startUs,
      remaining: length,
      action: auth ? { type: 'auth' } : { type: 'connect' },
      readOnly: this.x.inst.isReader,
      inTx: false,
      txLeft: 0,
      attempts: 0,
      ctx: {
        rng,
        d: this.engine.dialect,
        db: id.db,
        binds: usesBinds(rng, id.user.kind),
        today: dayText(startUs),
        grantees: this.grantees,
      },
    };
  }

  private release(a: ActiveSession): void {
    if (a.s.slot !== null) this.x.inUse.delete(a.s.slot);
    a.s.slot = null;
  }

  private emit(a: ActiveSession, out: SimEvent[]): void {
    const { x, engine } = this;
    const t = a.next;
    const act = a.action;
    switch (act.type) {
      case 'connect':
        out.push({ t, event: engine.connect(x, a.s, t), cls: 'CONNECT' });
        a.remaining -= 1;
        return;
      case 'disconnect':
        out.push({ t, event: engine.disconnect(x, a.s, t), cls: 'DISCONNECT' });
        a.remaining -= 1;
        this.release(a);
        return;
      case 'auth':
        a.attempts += 1;
        if (a.attempts > 1) engine.identify(x, a.s);
        a.s.seq = 1;
        out.push({ t, event: engine.authFailure(x, a.s, t, a.attempts), cls: 'AUTH_FAILURE' });
        a.remaining -= 1;
        this.release(a);
        return;
      case 'changeuser':
        a.s.user = act.user;
        out.push({ t, event: engine.changeUser?.(x, a.s, t) ?? engine.connect(x, a.s, t), cls: 'CONNECT' });
        a.remaining -= 1;
        return;
      case 'statement': {
        const reserve = 1 + (a.inTx ? 1 : 0) + a.txLeft;
        a.remaining -= engine.statement(x, a.s, act.stmt, t, out, Math.max(0, a.remaining - 1 - reserve));
        if (act.stmt.op === 'commit' || act.stmt.op === 'rollback') a.s.txId = null;
        else if (!a.inTx && engine.dialect.begin === null) a.s.txId = null;
      }
    }
  }
}
