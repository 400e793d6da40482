import { describe, expect, it } from 'vitest';
import { generateTraffic } from './traffic';

describe('generateTraffic at scale', () => {
  it('streams a million events with flat memory', () => {
    // Prepare
    const options = {
      seed: 99,
      events: 1_000_000,
      from: new Date('2024-04-01T00:00:00Z'),
      to: new Date('2024-05-01T00:00:00Z'),
    };
    let events = 0;
    let records = 0;
    let baseline = 0;
    let peak = 0;

    // Act: iterate without keeping anything
    for (const r of generateTraffic(options)) {
      events += r.eventCount;
      records += 1;
      if (records % 5000 === 0) {
        const used = process.memoryUsage().heapUsed;
        if (events >= 50_000 && baseline === 0) baseline = used;
        peak = Math.max(peak, used);
      }
    }

    // Assess: a retained run would hold ~1 GB of payloads; the generator needs a few MB
    expect(events).toBe(1_000_000);
    expect(baseline).toBeGreaterThan(0);
    expect(peak - baseline).toBeLessThan(96 * 1024 * 1024);
  });
});
