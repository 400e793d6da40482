import 'server-only';
import { getConfig } from '../config/current';
import type { OidcConfig } from '../config/schema';
import { env, getSessionSecret } from '../env';
import { NotFoundError } from '../http/errors';
import { beginOidcSignIn, completeOidcSignIn, getOidcClient, OIDC_STATE_TTL_S, OidcError } from './oidc';
import { buildPrincipal } from './principal';
import { safeReturnTo } from './return-to';
import { deriveKey } from './seal';
import { issueSession } from './session';
import { cookieName, isSecureRequest, readCookie, serializeCookie } from './session-cookie';

/** Wiring of the two OIDC routes: config, env, cookies and redirects around lib/auth/oidc.ts. */

const CALLBACK_PATH = '/api/auth/oidc/callback';

function settings(): { oidc: OidcConfig; clientSecret: string | undefined } {
  const oidc = getConfig().oidc;
  if (oidc === undefined) throw new NotFoundError('Single sign-on is not configured');
  // The config names the variable; the secret itself never sits in the config file.
  const clientSecret = oidc.clientSecretEnv === undefined ? undefined : process.env[oidc.clientSecretEnv];
  return { oidc, clientSecret: clientSecret === '' ? undefined : clientSecret };
}

function publicBase(request: Request): string {
  if (env.DASBOARD_PUBLIC_URL !== undefined) return new URL(env.DASBOARD_PUBLIC_URL).origin;
  const host = request.headers.get('host') ?? 'localhost';
  return `${isSecureRequest(request.headers) ? 'https' : 'http'}://${host}`;
}

function stateKey(): Uint8Array {
  return deriveKey(getSessionSecret(), 'oidc-state');
}

function redirectTo(location: string, cookies: readonly string[]): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  for (const c of cookies) headers.append('set-cookie', c);
  return new Response(null, { status: 303, headers });
}

/** GET /api/auth/oidc/start?returnTo=… → 303 to the identity provider, with the sealed state cookie. */
export async function startOidcSignIn(request: Request): Promise<Response> {
  const { oidc, clientSecret } = settings();
  const secure = isSecureRequest(request.headers);
  const client = await getOidcClient(oidc, clientSecret);
  const returnTo = safeReturnTo(new URL(request.url).searchParams.get('returnTo'));
  const { authorizationUrl, stateToken } = await beginOidcSignIn(client, oidc, {
    redirectUri: `${publicBase(request)}${CALLBACK_PATH}`,
    returnTo,
    key: stateKey(),
    now: Date.now(),
  });
  const stateCookie = serializeCookie(cookieName('oidcState', secure), stateToken, {
    secure,
    maxAge: OIDC_STATE_TTL_S,
  });
  return redirectTo(authorizationUrl.href, [stateCookie]);
}

/** GET /api/auth/oidc/callback → session cookie and 303 to the page asked for, or to /sign-in?error=…. */
export async function finishOidcSignIn(request: Request): Promise<Response> {
  const { oidc, clientSecret } = settings();
  const secure = isSecureRequest(request.headers);
  const stateName = cookieName('oidcState', secure);
  const clearState = serializeCookie(stateName, '', { secure, maxAge: 0 });
  const callbackUrl = new URL(`${publicBase(request)}${CALLBACK_PATH}`);
  callbackUrl.search = new URL(request.url).search;
  try {
    const client = await getOidcClient(oidc, clientSecret);
    const { identity, returnTo } = await completeOidcSignIn(client, oidc, {
      callbackUrl,
      stateToken: readCookie(request.headers.get('cookie'), stateName),
      key: stateKey(),
      now: Date.now(),
    });
    const session = {
      sub: `oidc:${identity.sub}`,
      name: identity.name,
      idp: 'oidc' as const,
      roles: [...identity.roles],
    };
    const known = buildPrincipal({ ...session, id: session.sub, sessionId: 'pending' }, getConfig());
    if (known === null) throw new OidcError('no_role', 'The mapped roles do not exist in the config');
    const { setCookie } = await issueSession(session, request.headers);
    log('signed in', { user: identity.name });
    return redirectTo(safeReturnTo(returnTo), [clearState, setCookie]);
  } catch (err) {
    if (!(err instanceof OidcError)) throw err;
    log('sign-in refused', {
      reason: err.reason,
      cause: err.cause instanceof Error ? err.cause.name : undefined,
    });
    return redirectTo(`/sign-in?error=${err.reason === 'no_role' ? 'no-role' : 'oidc'}`, [clearState]);
  }
}

function log(msg: string, fields: Record<string, unknown>): void {
  console.info(JSON.stringify({ level: 'info', msg, idp: 'oidc', ...fields }));
}
