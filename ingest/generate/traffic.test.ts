import { describe, expect, it } from 'vitest';
import { parseMicros, run, WEEK } from './test-helpers';
import { apportion, generateTraffic, listSources, summarizeTraffic, type TrafficOptions } from './traffic';

const DAY: Pick<TrafficOptions, 'from' | 'to'> = {
  from: new Date('2024-05-07T00:00:00Z'),
  to: new Date('2024-05-08T00:00:00Z'),
};

describe('listSources', () => {
  it('gives one source of each engine by default, with RDS-shaped ids', () => {
    const sources = listSources({ seed: 1, events: 10, ...DAY });
    expect(sources.map((s) => s.engine)).toEqual(['postgresql', 'mysql', 'oracle', 'sqlserver']);
    for (const s of sources) {
      expect(s.resourceId).toMatch(s.clusterId ? /^cluster-[A-Z2-7]{26}$/ : /^db-[A-Z2-7]{26}$/);
      expect(s.streamName).toBe(`aws-rds-das-${s.resourceId}`);
      for (const id of s.instanceIds) expect(id).toMatch(/^db-[A-Z2-7]{26}$/);
    }
    expect(sources.map((s) => s.version)).toEqual(['1.1', '1.2', '1.3', '1.4']);
    expect(sources.map((s) => s.clusterId === s.resourceId)).toEqual([true, true, false, false]);
  });

  it('adds more clusters in engine order', () => {
    const sources = listSources({ seed: 1, events: 10, ...DAY, clusters: 6 });
    expect(sources.map((s) => s.engine)).toEqual([
      'postgresql',
      'mysql',
      'oracle',
      'sqlserver',
      'postgresql',
      'mysql',
    ]);
    expect(new Set(sources.map((s) => s.resourceId)).size).toBe(6);
  });

  it('rejects an empty or inverted time span', () => {
    expect(() => listSources({ seed: 1, events: 10, from: DAY.to, to: DAY.from })).toThrow(
      /from must be before to/,
    );
  });
});

describe('generateTraffic', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const options = { seed: 42, events: 3000, ...DAY };
    const a = JSON.stringify([...generateTraffic(options)]);
    const b = JSON.stringify([...generateTraffic(options)]);
    const c = JSON.stringify([...generateTraffic({ ...options, seed: 43 })]);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it.each([0, 1, 7, 999, 4321])('produces exactly %i audit events', (events) => {
    const stats = summarizeTraffic(generateTraffic({ seed: 5, events, ...DAY, heartbeatEvery: 3600 }));
    expect(stats.events).toBe(events);
  });

  it('counts events, AUX and heartbeats per record consistently with the payloads', () => {
    const { records } = run({ seed: 9, events: 4000, ...DAY });
    for (const r of records) {
      const list = r.payload.databaseActivityEventList;
      expect(r.eventCount + r.heartbeats).toBe(list.length);
      expect(list.filter((e) => e.type === 'heartbeat').length).toBe(r.heartbeats);
      expect(r.classes.filter((c) => c === null).length).toBe(r.heartbeats);
    }
    expect(records.filter((r) => r.eventCount === 0).length).toBeGreaterThan(100);
  });

  it('covers every engine on every instance', () => {
    const { events } = run({ seed: 2, events: 8000, ...DAY });
    const instances = new Set(events.map((e) => e.instanceId));
    expect(new Set(events.map((e) => e.source.engine))).toEqual(
      new Set(['postgresql', 'mysql', 'oracle', 'sqlserver']),
    );
    expect(instances.size).toBe(
      listSources({ seed: 2, events: 1, ...DAY }).flatMap((s) => s.instanceIds).length,
    );
  });

  it('keeps every event time inside [from, to)', () => {
    const { events } = run({ seed: 3, events: 10_000, ...DAY });
    const lo = DAY.from.getTime() * 1000;
    const hi = DAY.to.getTime() * 1000;
    const outside = events
      .flatMap((e) => [e.event.logTime, e.event.startTime, e.event.endTime])
      .filter((v): v is string => typeof v === 'string')
      .map(parseMicros)
      .filter((us) => us < lo || us >= hi);
    expect(outside).toEqual([]);
  });

  it('follows a daily rhythm: office hours are busier than the night', () => {
    const { events } = run({ seed: 4, events: 10_000, ...WEEK });
    const hour = (e: (typeof events)[number]) =>
      new Date(parseMicros(String(e.event.logTime)) / 1000).getUTCHours();
    const night = events.filter((e) => hour(e) < 5).length;
    const office = events.filter((e) => hour(e) >= 10 && hour(e) < 15).length;
    expect(office).toBeGreaterThan(3 * night);
  });

  it('delivers records in arrival order', () => {
    const { records } = run({ seed: 6, events: 5000, ...DAY });
    const arrivals = records.map((r) => r.arrival.getTime());
    expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b));
  });

  it('rotates data keys per instance every keyRotationRecords records', () => {
    const { records } = run({ seed: 8, events: 6000, ...DAY, keyRotationRecords: 7 });
    const groups = new Map<string, { count: number; instances: Set<string> }>();
    for (const r of records) {
      const key = `${r.source.resourceId}#${r.keyEpoch}`;
      const g = groups.get(key) ?? { count: 0, instances: new Set<string>() };
      g.count += 1;
      g.instances.add(r.payload.instanceId);
      groups.set(key, g);
    }
    expect([...groups.values()].every((g) => g.count <= 7 && g.instances.size === 1)).toBe(true);
    const epochsPerSource = new Set([...groups.keys()].map((k) => k.split('#')[0]));
    expect(epochsPerSource.size).toBe(4);
    expect(groups.size).toBeGreaterThan(4 * 3);
  });

  it('respects eventsPerRecord and emits heartbeat records on schedule', () => {
    const { records } = run({
      seed: 10,
      events: 15_000,
      ...DAY,
      eventsPerRecord: { min: 5, max: 40 },
      heartbeatEvery: 300,
    });
    const audit = records.filter((r) => r.eventCount > 0);
    expect(Math.max(...audit.map((r) => r.eventCount))).toBe(40);
    expect(audit.filter((r) => r.eventCount < 5).length).toBeLessThanOrEqual(6); // the last record of an instance
    const beats = records.filter((r) => r.eventCount === 0);
    expect(beats.length).toBe(6 * (86_400 / 300));
    expect(
      beats.every((r) => JSON.stringify(r.payload.databaseActivityEventList) === '[{"type":"heartbeat"}]'),
    ).toBe(true);
  });
});

describe('apportion', () => {
  it('splits a total by weight into integers with the exact sum', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [0.72, 0.28])).toEqual([5, 2]);
    expect(apportion(0, [1, 2]).reduce((a, b) => a + b, 0)).toBe(0);
  });
});
