import { timingSafeEqual } from 'node:crypto';
import { ForbiddenError } from '../http/errors';

/**
 * CSRF defence for state-changing requests (POST/PUT/PATCH/DELETE), two layers:
 * 1. Origin / Sec-Fetch-Site: a browser request from another site is refused outright.
 * 2. Synchronizer token: `x-csrf-token` must equal the CSRF secret sealed in the session cookie.
 *    The page learns it from GET /api/me (same-origin JSON, unreadable cross-site); the cookie
 *    itself is httpOnly and encrypted, so script on another origin can obtain neither.
 */

export const CSRF_HEADER = 'x-csrf-token';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isStateChanging(method: string): boolean {
  return UNSAFE_METHODS.has(method.toUpperCase());
}

/**
 * Refuses cross-site browser requests. Non-browser clients (scripts) send neither header and
 * pass this layer; they still need the session's token (layer 2).
 * `allowedOrigins` are full origins (`https://dasboard.example.com`); the request's own Host
 * is always allowed.
 */
export function assertSameOrigin(
  headers: Pick<Headers, 'get'>,
  allowedOrigins: readonly string[] = [],
): void {
  const site = headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') {
    throw new ForbiddenError('Cross-site request refused');
  }
  const origin = headers.get('origin');
  if (origin === null) return;
  if (allowedOrigins.includes(origin)) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new ForbiddenError('Cross-site request refused');
  }
  // A cross-site page cannot set Host or X-Forwarded-Host (the latter needs a CORS preflight).
  const hosts = [headers.get('host'), headers.get('x-forwarded-host')?.split(',')[0]?.trim()];
  if (!hosts.some((h) => h != null && h.toLowerCase() === originHost.toLowerCase())) {
    throw new ForbiddenError('Cross-site request refused');
  }
}

/** Throws ForbiddenError unless the header carries exactly the session's CSRF secret. */
export function assertCsrfToken(headers: Pick<Headers, 'get'>, sessionCsrf: string): void {
  const given = headers.get(CSRF_HEADER);
  if (given === null || given.length === 0) throw new ForbiddenError('Missing CSRF token');
  const a = Buffer.from(given);
  const b = Buffer.from(sessionCsrf);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new ForbiddenError('Invalid CSRF token');
}

/** Both layers, for a request that carries a session. */
export function assertCsrf(
  request: { method: string; headers: Pick<Headers, 'get'> },
  sessionCsrf: string,
  allowedOrigins: readonly string[] = [],
): void {
  if (!isStateChanging(request.method)) return;
  assertSameOrigin(request.headers, allowedOrigins);
  assertCsrfToken(request.headers, sessionCsrf);
}
