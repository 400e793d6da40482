import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Local-user password hashing: scrypt (node:crypto), stored as `scrypt$N$r$p$<salt b64>$<hash b64>`
 * (lib/config/schema.ts localUserSchema). N=2^15, r=8 needs 32 MiB: above Node's default maxmem
 * once OpenSSL's overhead counts, so maxmem is raised explicitly.
 */

export const SCRYPT_COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

export class WeakPasswordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeakPasswordError';
  }
}

const powerOfTwo = (n: number) => (n & (n - 1)) === 0;
const hashSchema = z
  .string()
  .regex(/^scrypt\$\d{1,8}\$\d{1,2}\$\d{1,2}\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/)
  .transform((s) => {
    const [, n, r, p, salt, hash] = s.split('$');
    return { N: Number(n), r: Number(r), p: Number(p), salt: salt ?? '', hash: hash ?? '' };
  })
  // Bounds keep a hostile config from asking for gigabytes of scrypt memory.
  .refine(
    (h) => h.N >= 2 ** 10 && h.N <= 2 ** 20 && powerOfTwo(h.N),
    'N must be a power of two in 2^10..2^20',
  )
  .refine((h) => h.r >= 1 && h.r <= 32 && h.p >= 1 && h.p <= 16, 'r or p out of range');

/** Refuses passwords a user should not be allowed to set (length, equal to the user name). */
export function assertPasswordStrength(password: string, userName?: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new WeakPasswordError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new WeakPasswordError(`the password must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (new Set(password).size < 4) throw new WeakPasswordError('the password repeats too few characters');
  if (userName !== undefined && password.toLowerCase().includes(userName.toLowerCase())) {
    throw new WeakPasswordError('the password must not contain the user name');
  }
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = SCRYPT_COST;
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, N, r, p, KEY_LENGTH);
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Constant-time comparison; a malformed hash verifies as false (never throws on user input). */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = hashSchema.safeParse(encoded);
  if (!parsed.success || password.length > MAX_PASSWORD_LENGTH) return false;
  const { N, r, p, salt, hash } = parsed.data;
  const expected = Buffer.from(hash, 'base64');
  if (expected.length < 16) return false;
  const actual = await derive(password, Buffer.from(salt, 'base64'), N, r, p, expected.length);
  return timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same scrypt work as a real check, for user names that do not exist, so response
 * time does not reveal which names are valid. Always false.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'));
  await verifyPassword(password, await dummyHash);
  return false;
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number, length: number) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, { N, r, p, maxmem: 256 * N * r * p }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}
