import { beforeAll, describe, expect, it } from 'vitest';
import { localUserSchema } from '../config/schema';
import {
  assertPasswordStrength,
  hashPassword,
  MIN_PASSWORD_LENGTH,
  SCRYPT_COST,
  verifyAgainstDummy,
  verifyPassword,
  WeakPasswordError,
} from './password';

// scrypt costs ~0.1 s per call by design: the tests share one hash.
let hash = '';
beforeAll(async () => {
  hash = await hashPassword('correct horse battery');
});

describe('hashPassword', () => {
  it('writes the localUserSchema format with the configured scrypt cost', () => {
    // Assess
    const [scheme, n, r, p, salt, key] = hash.split('$');
    expect([scheme, Number(n), Number(r), Number(p)]).toEqual([
      'scrypt',
      SCRYPT_COST.N,
      SCRYPT_COST.r,
      SCRYPT_COST.p,
    ]);
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64')).toHaveLength(32);
    expect(localUserSchema.shape.passwordHash.safeParse(hash).success).toBe(true);
  });

  it('salts: the same password hashes differently twice', async () => {
    // Act
    const again = await hashPassword('correct horse battery');

    // Assess
    expect(again).not.toBe(hash);
  });
});

describe('verifyPassword', () => {
  it('accepts the right password and refuses a wrong one', async () => {
    // Act
    const results = await Promise.all([
      verifyPassword('correct horse battery', hash),
      verifyPassword('correct horse batterY', hash),
    ]);

    // Assess
    expect(results).toEqual([true, false]);
  });

  it('is false, not an exception, for malformed or hostile hashes', async () => {
    // Prepare: wrong scheme, missing parts, N not a power of two, N = 2^24 (1 GiB of memory), short key
    const hostile = [
      'bcrypt$10$abc',
      'scrypt$32768$8$1$c2FsdA==',
      'scrypt$30000$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5',
      'scrypt$16777216$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5',
      'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5',
    ];

    // Act
    const results = await Promise.all(hostile.map((h) => verifyPassword('whatever password', h)));

    // Assess
    expect(results).toEqual([false, false, false, false, false]);
  });

  it('verifies hashes written with other (bounded) costs', async () => {
    // Prepare
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const key = scryptSync('another password', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const hash = `scrypt$${2 ** 14}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;

    // Act + Assess
    expect(await verifyPassword('another password', hash)).toBe(true);
    expect(await verifyPassword('another passwore', hash)).toBe(false);
  });
});

describe('verifyAgainstDummy', () => {
  it('always refuses, after spending comparable scrypt work', async () => {
    // Prepare
    await verifyAgainstDummy('warm up the dummy hash');

    // Act
    const t0 = performance.now();
    const result = await verifyAgainstDummy('correct horse battery');
    const dummyMs = performance.now() - t0;
    const t1 = performance.now();
    await verifyPassword('wrong guess at all', hash);
    const realMs = performance.now() - t1;

    // Assess: same order of magnitude (no 10x shortcut for unknown users)
    expect(result).toBe(false);
    expect(dummyMs).toBeGreaterThan(realMs / 4);
  });
});

describe('assertPasswordStrength', () => {
  it(`refuses fewer than ${MIN_PASSWORD_LENGTH} characters`, () => {
    expect(() => assertPasswordStrength('elevenchars')).toThrow(WeakPasswordError);
    expect(() => assertPasswordStrength('twelve chars')).not.toThrow();
  });

  it('refuses repetitive passwords and passwords containing the user name', () => {
    expect(() => assertPasswordStrength('aaaaaaaaaaaaaaaa')).toThrow(/repeats/);
    expect(() => assertPasswordStrength('my-Alice-password', 'alice')).toThrow(/user name/);
    expect(() => assertPasswordStrength('x'.repeat(1025))).toThrow(/at most/);
  });
});
