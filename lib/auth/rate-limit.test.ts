import { describe, expect, it } from 'vitest';
import { clientIp, SignInLimiter, TooManyRequestsError } from './rate-limit';

const MIN = 60_000;

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function retryAfter(fn: () => void): number | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof TooManyRequestsError) return err.retryAfterS;
    throw err;
  }
}

describe('SignInLimiter', () => {
  it('locks a name for 15 minutes after 5 failures, whatever the IP', () => {
    // Prepare
    const c = clock();
    const limiter = new SignInLimiter({}, c.now);
    for (let i = 0; i < 4; i += 1) limiter.recordFailure(`10.0.0.${i}`, 'alice');

    // Act
    const beforeFifth = retryAfter(() => limiter.assertAllowed('10.0.0.9', 'alice'));
    limiter.recordFailure('10.0.0.9', 'alice');
    const afterFifth = retryAfter(() => limiter.assertAllowed('10.0.0.77', 'ALICE '));

    // Assess
    expect(beforeFifth).toBeNull();
    expect(afterFifth).toBe(15 * 60);
    c.advance(15 * MIN - 1000);
    expect(retryAfter(() => limiter.assertAllowed('10.0.0.77', 'alice'))).toBe(1);
    c.advance(1000);
    expect(retryAfter(() => limiter.assertAllowed('10.0.0.77', 'alice'))).toBeNull();
  });

  it('doubles the lock-out each time (exponential back-off, capped at 24 h)', () => {
    // Prepare
    const c = clock();
    const limiter = new SignInLimiter({ maxFailuresPerIp: 1000 }, c.now);
    const lockouts: number[] = [];

    // Act
    for (let round = 0; round < 9; round += 1) {
      for (let i = 0; i < 5; i += 1) limiter.recordFailure('1.1.1.1', 'bob');
      const s = retryAfter(() => limiter.assertAllowed('1.1.1.1', 'bob')) ?? 0;
      lockouts.push(s / 60);
      c.advance(s * 1000);
    }

    // Assess
    expect(lockouts).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
  });

  it('forgets failures older than the window (sliding)', () => {
    // Prepare
    const c = clock();
    const limiter = new SignInLimiter({}, c.now);
    for (let i = 0; i < 4; i += 1) limiter.recordFailure('1.1.1.1', 'carol');

    // Act
    c.advance(16 * MIN);
    limiter.recordFailure('1.1.1.1', 'carol');

    // Assess
    expect(retryAfter(() => limiter.assertAllowed('1.1.1.1', 'carol'))).toBeNull();
  });

  it('a success clears the name but not the IP', () => {
    // Prepare
    const c = clock();
    const limiter = new SignInLimiter({ maxFailuresPerIp: 6 }, c.now);
    for (let i = 0; i < 4; i += 1) limiter.recordFailure('2.2.2.2', 'dave');

    // Act
    limiter.recordSuccess('dave');
    limiter.recordFailure('2.2.2.2', 'dave');
    limiter.recordFailure('2.2.2.2', 'erin');

    // Assess: dave has 1 failure (not 5), the IP has 6 → blocked
    expect(retryAfter(() => limiter.assertAllowed('3.3.3.3', 'dave'))).toBeNull();
    expect(retryAfter(() => limiter.assertAllowed('2.2.2.2', 'frank'))).toBe(15 * 60);
  });

  it('blocks an IP after 20 failures spread over many names, until the oldest leaves the window', () => {
    // Prepare: 20 failures, one every 30 s (t = 0 … 9.5 min)
    const c = clock();
    const limiter = new SignInLimiter({}, c.now);
    for (let i = 0; i < 20; i += 1) {
      limiter.recordFailure('6.6.6.6', `user${i}`);
      c.advance(30_000);
    }

    // Act: now t = 10 min
    const blocked = retryAfter(() => limiter.assertAllowed('6.6.6.6', 'someone-new'));
    const otherIp = retryAfter(() => limiter.assertAllowed('7.7.7.7', 'someone-new'));
    c.advance(5 * MIN);
    const afterOldestLeft = retryAfter(() => limiter.assertAllowed('6.6.6.6', 'someone-new'));

    // Assess: the oldest failure (t = 0) leaves the 15-minute window at t = 15 min
    expect(blocked).toBe(5 * 60);
    expect(otherIp).toBeNull();
    expect(afterOldestLeft).toBeNull();
  });

  it('answers 429 for names that do not exist exactly as for names that do', () => {
    // Prepare
    const limiter = new SignInLimiter({}, () => 0);
    for (let i = 0; i < 5; i += 1) limiter.recordFailure('1.1.1.1', 'no-such-user');

    // Act
    let error: unknown;
    try {
      limiter.assertAllowed('1.1.1.1', 'no-such-user');
    } catch (err) {
      error = err;
    }

    // Assess
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterS: 900 });
  });

  it('keeps a lock-out while a flood of new names fills the table', () => {
    // Prepare
    const limiter = new SignInLimiter({}, () => 0);
    for (let i = 0; i < 5; i += 1) limiter.recordFailure('1.1.1.1', 'admin');

    // Act: every flood request from its own (spoofed) address
    for (let i = 0; i < 50_500; i += 1)
      limiter.recordFailure(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, `flood${i}`);

    // Assess
    expect(retryAfter(() => limiter.assertAllowed('1.1.1.1', 'admin'))).toBe(900);
  });
});

describe('clientIp', () => {
  it('takes the right-most X-Forwarded-For entry (the one our side added)', () => {
    expect(clientIp(new Headers({ 'x-forwarded-for': '6.6.6.6, 10.0.0.1, 203.0.113.7' }))).toBe(
      '203.0.113.7',
    );
    expect(clientIp(new Headers({ 'x-forwarded-for': '::1' }))).toBe('::1');
    expect(clientIp(new Headers())).toBe('unknown');
  });
});
