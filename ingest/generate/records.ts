/**
 * Packs one instance's event stream into DAS records: a record closes when it reaches its drawn
 * size, or (once it holds `min` events) after 10 s without events or 60 s of span, so busy periods
 * pack more. Heartbeat records are interleaved every `heartbeatEvery` seconds of simulated time;
 * data keys rotate every `keyRotationRecords` records of the instance.
 */
import type { ActivityClass } from '../../lib/audit/schema';
import type { SourcePlan } from './catalog';
import type { SimEvent } from './engine';
import type { Rng } from './random';
import type { InstanceSim } from './sessions';
import type { DasEvent, GeneratedRecord } from './types';

const IDLE_FLUSH_US = 10_000_000;
const MAX_SPAN_US = 60_000_000;
/** Share of audit records that also carry a heartbeat event. */
const MIXED_HEARTBEAT_RATE = 0.01;

export interface RecordShape {
  eventsPerRecord: { min: number; max: number };
  heartbeatEvery: number;
  keyRotationRecords: number;
}

export interface InstanceStreamInput {
  plan: SourcePlan;
  /** Index of the instance within its source. */
  instanceIndex: number;
  sim: InstanceSim;
  rng: Rng;
  fromUs: number;
  toUs: number;
  shape: RecordShape;
}

export function* instanceRecords(input: InstanceStreamInput): Generator<GeneratedRecord> {
  const { plan, instanceIndex, sim, rng, shape } = input;
  const instanceId = plan.source.instanceIds[instanceIndex] ?? '';
  const perEpoch = Math.max(1, shape.keyRotationRecords);
  const instances = plan.source.instanceIds.length;
  const hbEvery = shape.heartbeatEvery > 0 ? shape.heartbeatEvery * 1e6 : Number.POSITIVE_INFINITY;
  let nextHeartbeat = Number.isFinite(hbEvery) ? input.fromUs + Math.floor(rng.next() * hbEvery) : hbEvery;
  let epoch = 0;
  let inEpoch = 0;
  let lastArrival = 0;
  let pending: SimEvent[] = [];
  let firstT = 0;
  let lastT = 0;
  let target = 1;

  const seal = (
    events: DasEvent[],
    classes: (ActivityClass | null)[],
    atUs: number,
    count: number,
  ): GeneratedRecord => {
    const heartbeats = classes.length - count;
    const arrival = Math.max(lastArrival, Math.floor(atUs / 1000) + rng.int(250, 1800));
    lastArrival = arrival;
    const record: GeneratedRecord = {
      source: plan.source,
      keyEpoch: instanceIndex + instances * epoch,
      payload: {
        type: 'DatabaseActivityMonitoringRecord',
        clusterId: plan.source.clusterId,
        instanceId,
        databaseActivityEventList: events,
      },
      eventCount: count,
      heartbeats,
      arrival: new Date(arrival),
      classes,
    };
    inEpoch += 1;
    if (inEpoch >= perEpoch) {
      epoch += 1;
      inEpoch = 0;
    }
    return record;
  };

  const flush = (): GeneratedRecord => {
    const events = pending.map((e) => e.event);
    const classes: (ActivityClass | null)[] = pending.map((e) => e.cls);
    if (rng.chance(MIXED_HEARTBEAT_RATE)) {
      events.push({ type: 'heartbeat' });
      classes.push(null);
    }
    const count = pending.length;
    pending = [];
    return seal(events, classes, lastT, count);
  };

  const heartbeat = (): GeneratedRecord => {
    const at = nextHeartbeat;
    nextHeartbeat += hbEvery;
    return seal([{ type: 'heartbeat' }], [null], at, 0);
  };

  const buffer: SimEvent[] = [];
  while (sim.step(buffer)) {
    for (const e of buffer) {
      while (nextHeartbeat <= e.t && nextHeartbeat < input.toUs) {
        if (pending.length >= shape.eventsPerRecord.min) yield flush();
        yield heartbeat();
      }
      if (
        pending.length >= shape.eventsPerRecord.min &&
        (e.t - lastT > IDLE_FLUSH_US || e.t - firstT > MAX_SPAN_US)
      )
        yield flush();
      if (pending.length === 0) {
        firstT = e.t;
        lastT = e.t;
        target = Math.floor(rng.logUniform(shape.eventsPerRecord.min, shape.eventsPerRecord.max + 1));
      }
      pending.push(e);
      if (e.t > lastT) lastT = e.t;
      if (pending.length >= target) yield flush();
    }
    buffer.length = 0;
  }
  if (pending.length > 0) yield flush();
  while (nextHeartbeat < input.toUs) yield heartbeat();
}
