/**
 * The traffic simulator behind `dasboard generate`: realistic decrypted DAS payloads from a fleet
 * of Aurora PostgreSQL / Aurora MySQL clusters and RDS Oracle / SQL Server instances, grouped into
 * records per instance, in arrival order. Deterministic for a seed; streaming (memory stays flat).
 *
 * Heartbeats: one heartbeat record per instance every `heartbeatEvery` seconds of simulated time
 * (default 600 s; AWS sends one about every 2 s, which would dwarf the audit records), plus about
 * 1 % of audit records carrying a heartbeat event.
 */
import { z } from 'zod';
import type { Engine } from '../../lib/audit/schema';
import { buildFleet } from './catalog';
import type { EngineModule } from './engine';
import { mysql } from './engines/mysql';
import { oracle } from './engines/oracle';
import { postgresql } from './engines/postgresql';
import { sqlserver } from './engines/sqlserver';
import { SessionHeap } from './heap';
import { Rng } from './random';
import { instanceRecords } from './records';
import { InstanceSim } from './sessions';
import { Timeline } from './timeline';
import type { GeneratedRecord, Source } from './types';

export { addToStats, newTrafficStats, summarizeTraffic, type TrafficStats } from './traffic-stats';
export type { DasEvent, DasPayload, GeneratedRecord, Source } from './types';

export const DEFAULT_HEARTBEAT_EVERY_S = 600;
export const DEFAULT_KEY_ROTATION_RECORDS = 500;
export const DEFAULT_EVENTS_PER_RECORD = { min: 1, max: 200 } as const;

export const trafficOptionsSchema = z
  .object({
    seed: z.number().int(),
    events: z.number().int().nonnegative(),
    from: z.date(),
    to: z.date(),
    clusters: z.number().int().min(1).max(200).optional(),
    eventsPerRecord: z
      .object({ min: z.number().int().min(1), max: z.number().int().min(1).max(10_000) })
      .refine((r) => r.min <= r.max, { message: 'eventsPerRecord.min must not exceed max' })
      .optional(),
    heartbeatEvery: z.number().nonnegative().optional(),
    keyRotationRecords: z.number().int().min(1).optional(),
  })
  .refine((o) => o.from.getTime() < o.to.getTime(), { message: 'from must be before to' });

export type TrafficOptions = z.input<typeof trafficOptionsSchema>;

const ENGINES: Readonly<Record<Engine, EngineModule>> = { postgresql, mysql, oracle, sqlserver };

/** The sources (activity streams) a run with these options produces, in a stable order. */
export function listSources(options: TrafficOptions): Source[] {
  const o = trafficOptionsSchema.parse(options);
  return buildFleet(o.seed, o.clusters ?? 4).map((p) => p.source);
}

/** Splits `total` by weights into integers that sum to `total` exactly (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : 0));
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => [e - Math.floor(e), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left -= 1;
  }
  return out;
}

/** Records of all sources, merged in arrival order. Iterate it once; nothing is retained. */
export function* generateTraffic(options: TrafficOptions): Generator<GeneratedRecord> {
  const o = trafficOptionsSchema.parse(options);
  const fleet = buildFleet(o.seed, o.clusters ?? 4);
  const timeline = new Timeline(o.from, o.to);
  const shape = {
    eventsPerRecord: o.eventsPerRecord ?? DEFAULT_EVENTS_PER_RECORD,
    heartbeatEvery: o.heartbeatEvery ?? DEFAULT_HEARTBEAT_EVERY_S,
    keyRotationRecords: o.keyRotationRecords ?? DEFAULT_KEY_ROTATION_RECORDS,
  };
  const instances = fleet.flatMap((plan) =>
    plan.instances.map((inst, instanceIndex) => ({ plan, inst, instanceIndex })),
  );
  const budgets = apportion(
    o.events,
    instances.map(({ plan, inst }) => plan.weight * inst.weight),
  );
  const streams = instances.map(({ plan, inst, instanceIndex }, i) => {
    const sim = new InstanceSim(
      plan,
      inst,
      ENGINES[plan.engine],
      budgets[i] ?? 0,
      timeline,
      o.seed,
      10 + 2 * i,
    );
    const rng = new Rng(o.seed, 11 + 2 * i);
    return instanceRecords({
      plan,
      instanceIndex,
      sim,
      rng,
      fromUs: timeline.fromUs,
      toUs: timeline.toUs,
      shape,
    });
  });
  // k-way merge on arrival; ties go to the lower stream index, so the order is deterministic.
  const heads = new SessionHeap<{ record: GeneratedRecord; stream: number }>();
  const key = (r: GeneratedRecord, stream: number) => r.arrival.getTime() * 4096 + stream;
  streams.forEach((s, i) => {
    const first = s.next();
    if (!first.done) heads.push({ record: first.value, stream: i }, key(first.value, i));
  });
  for (;;) {
    const head = heads.pop();
    if (!head) return;
    yield head.record;
    const next = streams[head.stream]?.next();
    if (next && !next.done)
      heads.push({ record: next.value, stream: head.stream }, key(next.value, head.stream));
  }
}
