import * as client from 'openid-client';
import { z } from 'zod';
import type { OidcConfig } from '../config/schema';
import { seal, unseal } from './seal';
import { isLoopbackHost } from './session-cookie';

/**
 * OIDC sign-in with openid-client: discovery, authorization code + PKCE (S256), state and nonce.
 * The verifier, state, nonce and return path travel in a short-lived sealed cookie (no server
 * state). Pure of Next and env: the routes pass keys, URLs and the clock.
 */

export type OidcFailure = 'state' | 'exchange' | 'claims' | 'no_role';

export class OidcError extends Error {
  readonly reason: OidcFailure;
  constructor(reason: OidcFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OidcError';
    this.reason = reason;
  }
}

export interface OidcIdentity {
  readonly sub: string;
  readonly name: string;
  readonly groups: readonly string[];
  readonly roles: readonly string[];
}

const STATE_TYP = 'dasboard-oidc-state+jwt';
export const OIDC_STATE_TTL_S = 10 * 60;

const stateSchema = z.object({
  state: z.string().min(16),
  nonce: z.string().min(16),
  cv: z.string().min(43),
  rt: z.string(),
});

const discovered = new Map<string, Promise<client.Configuration>>();

/** Discovery, memoized per issuer + client; plain http only for a loopback issuer (local IdPs, tests). */
export function getOidcClient(
  oidc: OidcConfig,
  clientSecret: string | undefined,
): Promise<client.Configuration> {
  const cacheKey = `${oidc.issuer}\n${oidc.clientId}\n${clientSecret === undefined ? 'public' : 'confidential'}`;
  const cached = discovered.get(cacheKey);
  if (cached !== undefined) return cached;
  const issuer = new URL(oidc.issuer);
  const insecure = issuer.protocol === 'http:' && isLoopbackHost(issuer.host);
  const auth = clientSecret === undefined ? client.None() : client.ClientSecretBasic(clientSecret);
  const pending = client.discovery(issuer, oidc.clientId, undefined, auth, {
    execute: insecure ? [client.allowInsecureRequests] : [],
    timeout: 10,
  });
  discovered.set(cacheKey, pending);
  pending.catch(() => discovered.delete(cacheKey)); // retry discovery on the next sign-in
  return pending;
}

/** The IdP URL to redirect to, and the sealed state cookie value that the callback needs. */
export async function beginOidcSignIn(
  config: client.Configuration,
  oidc: OidcConfig,
  opts: { redirectUri: string; returnTo: string; key: Uint8Array; now: number },
): Promise<{ authorizationUrl: URL; stateToken: string }> {
  const cv = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: opts.redirectUri,
    scope: [...new Set(['openid', ...oidc.scopes])].join(' '),
    code_challenge: await client.calculatePKCECodeChallenge(cv),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const iat = Math.floor(opts.now / 1000);
  const stateToken = await seal({ state, nonce, cv, rt: opts.returnTo }, opts.key, {
    typ: STATE_TYP,
    issuedAt: iat,
    expiresAt: iat + OIDC_STATE_TTL_S,
  });
  return { authorizationUrl, stateToken };
}

/**
 * Validates the callback (state, PKCE, nonce, ID token) and maps groups to roles.
 * `callbackUrl` must be the registered redirect URI plus the query the IdP sent.
 */
export async function completeOidcSignIn(
  config: client.Configuration,
  oidc: OidcConfig,
  opts: { callbackUrl: URL; stateToken: string | undefined; key: Uint8Array; now: number },
): Promise<{ identity: OidcIdentity; returnTo: string }> {
  const payload =
    opts.stateToken === undefined
      ? null
      : await unseal(opts.stateToken, opts.key, { typ: STATE_TYP, now: opts.now });
  const saved = stateSchema.safeParse(payload);
  if (!saved.success) throw new OidcError('state', 'The sign-in took too long or was started elsewhere');
  // openid-client checks state too; checking first gives the precise reason for a mismatch.
  if (opts.callbackUrl.searchParams.get('state') !== saved.data.state) {
    throw new OidcError('state', 'The sign-in answer does not belong to this browser');
  }
  let claims: Record<string, unknown> | undefined;
  try {
    const tokens = await client.authorizationCodeGrant(config, opts.callbackUrl, {
      pkceCodeVerifier: saved.data.cv,
      expectedState: saved.data.state,
      expectedNonce: saved.data.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (err) {
    throw new OidcError('exchange', 'The identity provider did not confirm the sign-in', { cause: err });
  }
  if (claims === undefined) throw new OidcError('claims', 'The identity provider sent no ID token');
  const identity = identityFromClaims(claims, oidc);
  if (identity.roles.length === 0)
    throw new OidcError('no_role', 'None of your groups maps to a dasboard role');
  return { identity, returnTo: saved.data.rt };
}

/** Subject, display name, groups (from `groupsClaim`: a top-level key, else a dotted path) and mapped roles. */
export function identityFromClaims(claims: Record<string, unknown>, oidc: OidcConfig): OidcIdentity {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0)
    throw new OidcError('claims', 'The ID token has no subject');
  const display = [claims.preferred_username, claims.email, claims.name].find(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  const groups = readGroups(claims, oidc.groupsClaim);
  // Own keys only: a group named "constructor" must not reach Object.prototype.
  const roles = [
    ...new Set(groups.flatMap((g) => (Object.hasOwn(oidc.groupRoles, g) ? (oidc.groupRoles[g] ?? []) : []))),
  ];
  return { sub, name: (display ?? sub).slice(0, 300), groups, roles };
}

function readGroups(claims: Record<string, unknown>, claimName: string): string[] {
  let value: unknown = claims[claimName];
  if (value === undefined && claimName.includes('.')) {
    value = claimName.split('.').reduce<unknown>((node, part) => {
      return typeof node === 'object' && node !== null ? Reflect.get(node, part) : undefined;
    }, claims);
  }
  if (typeof value === 'string') return [value];
  const list = z.array(z.unknown()).safeParse(value);
  return list.success ? list.data.filter((g): g is string => typeof g === 'string') : [];
}
