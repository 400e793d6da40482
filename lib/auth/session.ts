import 'server-only';
import path from 'node:path';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getConfig } from '../config/current';
import type { DasboardConfig } from '../config/schema';
import { env, getSessionSecret } from '../env';
import { UnauthorizedError } from '../http/errors';
import { buildPrincipal, type Principal } from './principal';
import { RevocationList } from './revocation';
import { deriveKey } from './seal';
import { cookieName, isSecureRequest, readCookie, serializeCookie } from './session-cookie';
import {
  type NewSession,
  needsRotation,
  passwordVersion,
  SESSION_LIMITS,
  type SessionClaims,
  sealSession,
  startSession,
  unsealSession,
} from './session-token';

/**
 * Server-side session handling for pages and route handlers. The authoritative check: the proxy
 * only redirects on a missing cookie. Every route (withRoute) and page (requirePagePrincipal)
 * resolves the principal here, from a sealed cookie that is also re-checked against the current
 * config (user removed, roles changed, password changed → the session ends or narrows at once).
 */

export interface ActiveSession {
  readonly claims: SessionClaims;
  readonly principal: Principal;
  /** Whether this request is https (cookie name and Secure attribute follow it). */
  readonly secure: boolean;
}

// Shared across route bundles of one process (module instances may be duplicated per route).
const registry = globalThis as typeof globalThis & { __dasboardRevocations?: RevocationList };

function revocations(): RevocationList {
  registry.__dasboardRevocations ??= new RevocationList({
    file:
      env.store.kind === 'local'
        ? path.join(env.store.path, '.dasboard', 'revoked-sessions.json')
        : undefined,
  });
  return registry.__dasboardRevocations;
}

let key: Uint8Array | undefined;
export function sessionKey(): Uint8Array {
  key ??= deriveKey(getSessionSecret(), 'session');
  return key;
}

/** Claims → principal against the current config, or null when the session no longer stands. */
export function principalFromClaims(claims: SessionClaims, config: DasboardConfig): Principal | null {
  if (revocations().isRevoked(claims.sid)) return null;
  const base = { id: claims.sub, name: claims.name, idp: claims.idp, sessionId: claims.sid };
  if (claims.idp === 'local') {
    const user = config.users.find((u) => `local:${u.name}` === claims.sub);
    if (user === undefined || passwordVersion(user.passwordHash) !== claims.pwv) return null;
    return buildPrincipal({ ...base, roles: user.roles }, config);
  }
  if (config.oidc === undefined) return null;
  return buildPrincipal({ ...base, roles: claims.roles }, config);
}

async function sessionFrom(token: string | undefined, secure: boolean): Promise<ActiveSession | null> {
  if (token === undefined) return null;
  const claims = await unsealSession(token, sessionKey(), Date.now());
  if (claims === null) return null;
  const principal = principalFromClaims(claims, getConfig());
  return principal === null ? null : { claims, principal, secure };
}

/** The session of a route-handler request, or null. */
export async function readSession(request: Request): Promise<ActiveSession | null> {
  const secure = isSecureRequest(request.headers);
  const token = readCookie(request.headers.get('cookie'), cookieName('session', secure));
  return sessionFrom(token, secure);
}

/** The session of the current server-component render, or null. */
export async function readPageSession(): Promise<ActiveSession | null> {
  const secure = isSecureRequest(await headers());
  const token = (await cookies()).get(cookieName('session', secure))?.value;
  return sessionFrom(token, secure);
}

/** The principal of `request` (route handlers) or of the current render (no argument). */
export async function getPrincipal(request?: Request): Promise<Principal | null> {
  const session = request === undefined ? await readPageSession() : await readSession(request);
  return session?.principal ?? null;
}

/** As getPrincipal, but throws UnauthorizedError (401) when there is no valid session. */
export async function requirePrincipal(request?: Request): Promise<Principal> {
  const principal = await getPrincipal(request);
  if (principal === null) throw new UnauthorizedError('Sign in to continue');
  return principal;
}

/** For pages and layouts: the principal, or a redirect to /sign-in. */
export async function requirePagePrincipal(): Promise<Principal> {
  const principal = await getPrincipal();
  if (principal === null) redirect('/sign-in');
  return principal;
}

/** Starts a session: the Set-Cookie value and the claims (for the CSRF token). */
export async function issueSession(
  identity: NewSession,
  requestHeaders: Pick<Headers, 'get'>,
): Promise<{ setCookie: string; claims: SessionClaims }> {
  const secure = isSecureRequest(requestHeaders);
  const now = Date.now();
  const { token, claims } = await sealSession(startSession(identity, now), sessionKey(), now);
  return { setCookie: sessionSetCookie(token, claims, secure, now), claims };
}

/** A re-issued cookie when the token is due for rotation (same session id, fresh iat/exp), else null. */
export async function rotateSession(session: ActiveSession): Promise<string | null> {
  const now = Date.now();
  if (!needsRotation(session.claims, now) || revocations().isRevoked(session.claims.sid)) return null;
  try {
    const { token, claims } = await sealSession(session.claims, sessionKey(), now);
    return sessionSetCookie(token, claims, session.secure, now);
  } catch {
    return null; // at the absolute limit: let the current token run out
  }
}

/** Ends a session: revoked server-side until its absolute expiry; returns the deleting Set-Cookie. */
export function revokeSession(session: ActiveSession): string {
  revocations().revoke(session.claims.sid, session.claims.auth_time + SESSION_LIMITS.absoluteS);
  return clearSessionCookie(session.secure);
}

export function clearSessionCookie(secure: boolean): string {
  return serializeCookie(cookieName('session', secure), '', { secure, maxAge: 0 });
}

/** `local:<name>` identities carry a password fingerprint so a password change ends their sessions. */
export function localIdentity(user: {
  name: string;
  roles: readonly string[];
  passwordHash: string;
}): NewSession {
  return {
    sub: `local:${user.name}`,
    name: user.name,
    idp: 'local',
    roles: [...user.roles],
    pwv: passwordVersion(user.passwordHash),
  };
}

function sessionSetCookie(token: string, claims: SessionClaims, secure: boolean, now: number): string {
  const maxAge = claims.exp - Math.floor(now / 1000);
  return serializeCookie(cookieName('session', secure), token, { secure, maxAge });
}
