import 'server-only';
import { randomUUID } from 'node:crypto';
import type { NextRequest } from 'next/server';
import { assertCsrf, assertSameOrigin, isStateChanging } from '../auth/csrf';
import type { Principal } from '../auth/principal';
import { TooManyRequestsError } from '../auth/rate-limit';
import { type ActiveSession, readSession, rotateSession } from '../auth/session';
import { cookieName } from '../auth/session-cookie';
import { env } from '../env';
import { toResponse, UnauthorizedError } from './errors';

/**
 * The one wrapper for API route handlers: request id, session → principal (401 when required and
 * missing), CSRF on state-changing methods, errors → JSON via toResponse, session rotation, and
 * one structured log line (method, path without query, status, duration, principal id; never
 * cookies, tokens, bodies or search text).
 */

export type RouteAuth = 'required' | 'public';

export interface RouteOptions<A extends RouteAuth> {
  readonly auth: A;
  /**
   * Default true. On POST/PUT/PATCH/DELETE: same-origin check, plus (auth 'required') the
   * `x-csrf-token` header must match the session. Set false only for routes that change nothing.
   */
  readonly csrf?: boolean;
}

export interface RouteContext<P, A extends RouteAuth> {
  readonly requestId: string;
  readonly principal: A extends 'required' ? Principal : Principal | null;
  readonly session: A extends 'required' ? ActiveSession : ActiveSession | null;
  readonly params: P;
}

export type RouteHandler<P, A extends RouteAuth> = (
  request: NextRequest,
  ctx: RouteContext<P, A>,
) => Response | Promise<Response>;

type NextSegment<P> = { params: Promise<P> };

const allowedOrigins = env.DASBOARD_PUBLIC_URL === undefined ? [] : [new URL(env.DASBOARD_PUBLIC_URL).origin];

export function withRoute<P = Record<string, string>, A extends RouteAuth = 'required'>(
  handler: RouteHandler<P, A>,
  options: RouteOptions<A>,
): (request: NextRequest, segment: NextSegment<P>) => Promise<Response> {
  // A 'required' handler only runs once a principal exists (checked below), so widening its
  // context type to the 'public' shape is sound; TypeScript cannot relate `A` to that check.
  const run = handler as RouteHandler<P, 'public'>;
  return async (request: NextRequest, segment: NextSegment<P>): Promise<Response> => {
    const requestId = randomUUID();
    const started = performance.now();
    let session: ActiveSession | null = null;
    let response: Response;
    try {
      session = await readSession(request);
      checkCsrf(request, session, options);
      const params = await segment.params;
      if (options.auth === 'required' && session === null) throw new UnauthorizedError('Sign in to continue');
      response = await run(request, { requestId, principal: session?.principal ?? null, session, params });
    } catch (err) {
      response = toResponse(err, requestId);
      if (err instanceof TooManyRequestsError) response.headers.set('retry-after', String(err.retryAfterS));
    }
    response = await finish(response, session, requestId);
    logRequest(request, response.status, requestId, session?.principal.id, performance.now() - started);
    return response;
  };
}

function checkCsrf(
  request: NextRequest,
  session: ActiveSession | null,
  options: RouteOptions<RouteAuth>,
): void {
  if (options.csrf === false || !isStateChanging(request.method)) return;
  if (options.auth === 'required') {
    if (session === null) throw new UnauthorizedError('Sign in to continue');
    assertCsrf(request, session.claims.csrf, allowedOrigins);
  } else {
    assertSameOrigin(request.headers, allowedOrigins);
  }
}

async function finish(
  response: Response,
  session: ActiveSession | null,
  requestId: string,
): Promise<Response> {
  const out = withMutableHeaders(response);
  out.headers.set('x-request-id', requestId);
  if (!out.headers.has('cache-control')) out.headers.set('cache-control', 'no-store');
  // Rotate unless the handler already set (or cleared) the session cookie, e.g. sign-out.
  const name = session === null ? undefined : cookieName('session', session.secure);
  const touched = out.headers.getSetCookie().some((c) => name !== undefined && c.startsWith(`${name}=`));
  if (session !== null && !touched && out.status !== 401) {
    const rotated = await rotateSession(session);
    if (rotated !== null) out.headers.append('set-cookie', rotated);
  }
  return out;
}

// Response.redirect() and fetch() responses have immutable headers.
function withMutableHeaders(response: Response): Response {
  try {
    response.headers.set('x-content-type-options', 'nosniff');
    return response;
  } catch {
    return new Response(response.body, response);
  }
}

function logRequest(
  request: NextRequest,
  status: number,
  requestId: string,
  user: string | undefined,
  ms: number,
) {
  const line = {
    level: status >= 500 ? 'error' : 'info',
    msg: 'request',
    requestId,
    method: request.method,
    path: request.nextUrl.pathname,
    status,
    ms: Math.round(ms),
    user: user ?? null,
  };
  console.info(JSON.stringify(line));
}
