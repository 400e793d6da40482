import { AppError } from '../http/errors';

/**
 * Sign-in throttling, in memory (per process):
 * - per user name: 5 failures within 15 minutes lock the name for 15 minutes, doubling with each
 *   further lock-out (capped at 24 h). While locked, even the right password is refused (429).
 *   Names are tracked whether or not they exist, so a lock-out reveals nothing about existence.
 * - per client IP: 20 failures within 15 minutes block that IP (sliding window).
 */

export class TooManyRequestsError extends AppError {
  readonly retryAfterS: number;
  constructor(retryAfterS: number) {
    super('rate_limited', 429, 'Too many failed sign-ins. Try again later.', {
      details: { retryAfterS },
    });
    this.name = 'TooManyRequestsError';
    this.retryAfterS = retryAfterS;
  }
}

export interface SignInLimits {
  readonly maxFailuresPerUser: number;
  readonly userWindowMs: number;
  readonly lockoutMs: number;
  readonly maxLockoutMs: number;
  readonly maxFailuresPerIp: number;
  readonly ipWindowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  maxFailuresPerUser: 5,
  userWindowMs: 15 * 60_000,
  lockoutMs: 15 * 60_000,
  maxLockoutMs: 24 * 60 * 60_000,
  maxFailuresPerIp: 20,
  ipWindowMs: 15 * 60_000,
};

interface UserState {
  failures: number[];
  lockedUntil: number;
  lockouts: number;
}

const MAX_TRACKED_KEYS = 50_000;

export class SignInLimiter {
  readonly #limits: SignInLimits;
  readonly #now: () => number;
  readonly #users = new Map<string, UserState>();
  readonly #ips = new Map<string, number[]>();

  constructor(limits: Partial<SignInLimits> = {}, now: () => number = () => Date.now()) {
    this.#limits = { ...DEFAULT_SIGN_IN_LIMITS, ...limits };
    this.#now = now;
  }

  /** Throws TooManyRequestsError (with Retry-After seconds) when the name or the IP is blocked. */
  assertAllowed(ip: string, userName: string): void {
    const now = this.#now();
    const user = this.#users.get(normalize(userName));
    if (user !== undefined && user.lockedUntil > now) throw tooMany(user.lockedUntil - now);
    const ipFailures = this.#recent(this.#ips.get(ip) ?? [], this.#limits.ipWindowMs, now);
    const oldest = ipFailures[0];
    if (ipFailures.length >= this.#limits.maxFailuresPerIp && oldest !== undefined) {
      throw tooMany(oldest + this.#limits.ipWindowMs - now);
    }
  }

  recordFailure(ip: string, userName: string): void {
    const now = this.#now();
    const { maxFailuresPerIp, ipWindowMs, userWindowMs, maxFailuresPerUser } = this.#limits;
    const ipFailures = this.#recent(this.#ips.get(ip) ?? [], ipWindowMs, now);
    ipFailures.push(now);
    remember(this.#ips, ip, ipFailures.slice(-maxFailuresPerIp));

    const key = normalize(userName);
    const state = this.#users.get(key) ?? { failures: [], lockedUntil: 0, lockouts: 0 };
    // A quiet day forgives earlier lock-outs.
    if (state.lockouts > 0 && now - state.lockedUntil > 24 * 60 * 60_000) state.lockouts = 0;
    state.failures = this.#recent(state.failures, userWindowMs, now);
    state.failures.push(now);
    if (state.failures.length >= maxFailuresPerUser) {
      const duration = Math.min(this.#limits.lockoutMs * 2 ** state.lockouts, this.#limits.maxLockoutMs);
      state.lockouts += 1;
      state.lockedUntil = now + duration;
      state.failures = [];
    }
    remember(this.#users, key, state, (s) => s.lockedUntil > now);
  }

  /** A successful sign-in clears the name's failures (not the IP's: one good account must not reset them). */
  recordSuccess(userName: string): void {
    this.#users.delete(normalize(userName));
  }

  #recent(times: readonly number[], windowMs: number, now: number): number[] {
    return times.filter((t) => now - t < windowMs);
  }
}

/** The client address: the right-most X-Forwarded-For entry (added by Next or by the load balancer). */
export function clientIp(headers: Pick<Headers, 'get'>): string {
  const forwarded = headers.get('x-forwarded-for');
  const last = forwarded?.split(',').at(-1)?.trim();
  return last !== undefined && last.length > 0 ? last.slice(0, 64) : 'unknown';
}

function normalize(userName: string): string {
  return userName.trim().toLowerCase().slice(0, 256);
}

function tooMany(ms: number): TooManyRequestsError {
  return new TooManyRequestsError(Math.max(1, Math.ceil(ms / 1000)));
}

// Bounded maps: random user names or spoofed IPs must not grow memory without limit. Eviction
// skips pinned (locked) entries where it can, so a flood of new names cannot erase a lock-out.
function remember<V>(map: Map<string, V>, key: string, value: V, isPinned: (v: V) => boolean = () => false) {
  map.delete(key);
  map.set(key, value);
  if (map.size <= MAX_TRACKED_KEYS) return;
  let victim: string | undefined;
  let scanned = 0;
  for (const [k, v] of map) {
    victim ??= k;
    if (!isPinned(v)) {
      victim = k;
      break;
    }
    if (++scanned >= 1000) break;
  }
  if (victim !== undefined) map.delete(victim);
}
