import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { seal, unseal } from './seal';

/**
 * The session token (pure: keys and clock are arguments). A stateless sealed cookie: the claims
 * live encrypted in the browser; the server keeps only a revocation list (lib/auth/revocation.ts).
 * exp = min(iat + idle, auth_time + absolute), so an unused token dies after the idle time and
 * re-issuing (rotation) can never stretch a session past its absolute limit.
 */

export const SESSION_LIMITS = {
  /** A session ends this long after sign-in, whatever happens. */
  absoluteS: 8 * 60 * 60,
  /** ... or after this long without a request. */
  idleS: 30 * 60,
  /** Tokens older than this are re-issued on the next API request. */
  rotateS: 5 * 60,
} as const;

const TYP = 'dasboard-session+jwt';
const CLOCK_SKEW_S = 60;

export const sessionClaimsSchema = z.object({
  sid: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/),
  sub: z.string().min(1).max(300),
  name: z.string().min(1).max(300),
  idp: z.enum(['local', 'oidc']),
  roles: z.array(z.string().min(1).max(64)).min(1).max(64),
  csrf: z.string().regex(/^[A-Za-z0-9_-]{32,64}$/),
  auth_time: z.number().int().positive(),
  /** Local users: fingerprint of the password hash, so a password change ends old sessions. */
  pwv: z.string().max(64).optional(),
  iat: z.number().int().positive(),
  exp: z.number().int().positive(),
});
export type SessionClaims = z.infer<typeof sessionClaimsSchema>;
export type NewSession = Omit<SessionClaims, 'iat' | 'exp' | 'sid' | 'csrf' | 'auth_time'>;

const seconds = (ms: number) => Math.floor(ms / 1000);

/** Claims for a fresh sign-in: new session id, new CSRF secret, auth_time = now. */
export function startSession(identity: NewSession, now: number): Omit<SessionClaims, 'iat' | 'exp'> {
  return {
    ...identity,
    sid: randomBytes(18).toString('base64url'),
    csrf: randomBytes(32).toString('base64url'),
    auth_time: seconds(now),
  };
}

export function sessionExpiry(claims: Pick<SessionClaims, 'auth_time'>, now: number): number {
  return Math.min(seconds(now) + SESSION_LIMITS.idleS, claims.auth_time + SESSION_LIMITS.absoluteS);
}

export async function sealSession(
  claims: Omit<SessionClaims, 'iat' | 'exp'>,
  key: Uint8Array,
  now: number,
): Promise<{ token: string; claims: SessionClaims }> {
  const iat = seconds(now);
  const exp = sessionExpiry(claims, now);
  if (exp <= iat) throw new Error('the session has reached its absolute limit');
  const { sid, sub, name, idp, roles, csrf, auth_time, pwv } = claims;
  const body = { sid, sub, name, idp, roles, csrf, auth_time, ...(pwv === undefined ? {} : { pwv }) };
  const token = await seal(body, key, { typ: TYP, issuedAt: iat, expiresAt: exp });
  return { token, claims: { ...body, iat, exp } };
}

/** Valid claims, or null: forged, altered, expired, idle too long, past the absolute limit, from the future. */
export async function unsealSession(
  token: string,
  key: Uint8Array,
  now: number,
): Promise<SessionClaims | null> {
  const payload = await unseal(token, key, { typ: TYP, now });
  if (payload === null) return null;
  const parsed = sessionClaimsSchema.safeParse(payload);
  if (!parsed.success) return null;
  const claims = parsed.data;
  const t = seconds(now);
  if (claims.iat > t + CLOCK_SKEW_S || claims.auth_time > claims.iat + CLOCK_SKEW_S) return null;
  if (t - claims.iat > SESSION_LIMITS.idleS) return null;
  if (t - claims.auth_time > SESSION_LIMITS.absoluteS) return null;
  if (claims.exp > claims.auth_time + SESSION_LIMITS.absoluteS) return null;
  return claims;
}

export function needsRotation(claims: Pick<SessionClaims, 'iat'>, now: number): boolean {
  return seconds(now) - claims.iat >= SESSION_LIMITS.rotateS;
}

/** Short fingerprint of a password hash (not reversible to anything useful; changes with the hash). */
export function passwordVersion(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 16);
}
