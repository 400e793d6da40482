import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcConfig } from '../config/schema';
import { beginOidcSignIn, completeOidcSignIn, getOidcClient, identityFromClaims, OidcError } from './oidc';
import { deriveKey } from './seal';

/**
 * A minimal OpenID provider on 127.0.0.1 (discovery, JWKS, token endpoint with PKCE S256 check),
 * driven over HTTP by the real openid-client.
 */
interface Grant {
  challenge: string;
  nonce: string;
  sub: string;
  groups: string[];
  idTokenNonce?: string;
}

const grants = new Map<string, Grant>();
let server: Server;
let issuer = '';
let privateKey: CryptoKey;
let jwk: Record<string, unknown>;
const tokenRequests: URLSearchParams[] = [];

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req.url ?? '/', Buffer.concat(chunks).toString()).then(([status, body]) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  issuer = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function handle(url: string, body: string): Promise<[number, unknown]> {
  if (url === '/.well-known/openid-configuration') {
    return [
      200,
      {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
      },
    ];
  }
  if (url === '/jwks') return [200, { keys: [jwk] }];
  if (url === '/token') {
    const form = new URLSearchParams(body);
    tokenRequests.push(form);
    const grant = grants.get(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (grant === undefined || challenge !== grant.challenge) return [400, { error: 'invalid_grant' }];
    grants.delete(form.get('code') ?? '');
    const idToken = await new SignJWT({
      nonce: grant.idTokenNonce ?? grant.nonce,
      groups: grant.groups,
      preferred_username: `${grant.sub}@example.com`,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience('dasboard')
      .setSubject(grant.sub)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    return [200, { access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken }];
  }
  return [404, { error: 'not_found' }];
}

const key = deriveKey('oidc-test-secret-0123456789-0123456789', 'oidc-state');
const REDIRECT = 'http://localhost:3000/api/auth/oidc/callback';
const oidcConfig = (): OidcConfig => ({
  issuer,
  clientId: 'dasboard',
  scopes: ['openid', 'profile', 'email'],
  groupsClaim: 'groups',
  groupRoles: { 'db-auditors': ['auditor'], secops: ['security-lead', 'auditor'] },
});

/** Plays the browser and the IdP's login page: returns the callback URL and the state cookie. */
async function authorize(groups: string[], over: Partial<Grant> = {}) {
  const oidc = oidcConfig();
  const client = await getOidcClient(oidc, undefined);
  const { authorizationUrl, stateToken } = await beginOidcSignIn(client, oidc, {
    redirectUri: REDIRECT,
    returnTo: '/activity?q=class:DDL',
    key,
    now: Date.now(),
  });
  const p = authorizationUrl.searchParams;
  const code = randomBytes(12).toString('base64url');
  grants.set(code, {
    challenge: p.get('code_challenge') ?? '',
    nonce: p.get('nonce') ?? '',
    sub: 'u-123',
    groups,
    ...over,
  });
  const callbackUrl = new URL(`${REDIRECT}?code=${code}&state=${p.get('state')}`);
  return { oidc, client, authorizationUrl, stateToken, callbackUrl };
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (err) {
    return err instanceof OidcError ? err.reason : `other: ${String(err)}`;
  }
}

describe('beginOidcSignIn', () => {
  it('builds an authorization-code request with PKCE S256, state, nonce and openid scope', async () => {
    // Act
    const { authorizationUrl } = await authorize(['db-auditors']);

    // Assess
    const p = authorizationUrl.searchParams;
    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(`${issuer}/authorize`);
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe('dasboard');
    expect(p.get('redirect_uri')).toBe(REDIRECT);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('scope')?.split(' ')).toEqual(['openid', 'profile', 'email']);
    expect(p.get('state')?.length).toBeGreaterThanOrEqual(22);
    expect(p.get('nonce')?.length).toBeGreaterThanOrEqual(22);
  });
});

describe('completeOidcSignIn', () => {
  it('exchanges the code with the PKCE verifier and maps groups to roles', async () => {
    // Prepare
    const { oidc, client, stateToken, callbackUrl } = await authorize(['secops', 'unmapped']);

    // Act
    const result = await completeOidcSignIn(client, oidc, { callbackUrl, stateToken, key, now: Date.now() });

    // Assess
    expect(result.returnTo).toBe('/activity?q=class:DDL');
    expect(result.identity).toEqual({
      sub: 'u-123',
      name: 'u-123@example.com',
      groups: ['secops', 'unmapped'],
      roles: ['security-lead', 'auditor'],
    });
    const sent = tokenRequests.at(-1);
    expect(sent?.get('grant_type')).toBe('authorization_code');
    expect(sent?.get('redirect_uri')).toBe(REDIRECT);
  });

  it('refuses a user whose groups map to no role', async () => {
    // Prepare
    const { oidc, client, stateToken, callbackUrl } = await authorize(['marketing']);

    // Act + Assess
    expect(
      await reasonOf(completeOidcSignIn(client, oidc, { callbackUrl, stateToken, key, now: Date.now() })),
    ).toBe('no_role');
  });

  it('refuses a missing, forged, expired or foreign state cookie', async () => {
    // Prepare
    const a = await authorize(['db-auditors']);
    const b = await authorize(['db-auditors']);
    const run = (stateToken: string | undefined, now = Date.now()) =>
      reasonOf(completeOidcSignIn(a.client, a.oidc, { callbackUrl: a.callbackUrl, stateToken, key, now }));

    // Act + Assess
    expect(await run(undefined)).toBe('state');
    expect(await run('forged.token.value.x.y')).toBe('state');
    expect(await run(a.stateToken, Date.now() + 11 * 60_000)).toBe('state');
    expect(await run(b.stateToken)).toBe('state'); // another browser's sign-in (login CSRF)
  });

  it('refuses an ID token whose nonce does not match (replay)', async () => {
    // Prepare
    const { oidc, client, stateToken, callbackUrl } = await authorize(['db-auditors'], {
      idTokenNonce: 'replayed-nonce-value',
    });

    // Act + Assess
    expect(
      await reasonOf(completeOidcSignIn(client, oidc, { callbackUrl, stateToken, key, now: Date.now() })),
    ).toBe('exchange');
  });

  it('refuses when the provider rejects the code (wrong PKCE verifier)', async () => {
    // Prepare: the code was issued for another sign-in's challenge
    const a = await authorize(['db-auditors']);
    const b = await authorize(['db-auditors']);
    const codeOfB = b.callbackUrl.searchParams.get('code') ?? '';
    const callbackUrl = new URL(a.callbackUrl);
    callbackUrl.searchParams.set('code', codeOfB);

    // Act + Assess
    expect(
      await reasonOf(
        completeOidcSignIn(a.client, a.oidc, { callbackUrl, stateToken: a.stateToken, key, now: Date.now() }),
      ),
    ).toBe('exchange');
  });

  it('refuses an error answer from the provider', async () => {
    // Prepare
    const { oidc, client, stateToken, callbackUrl } = await authorize(['db-auditors']);
    const denied = new URL(REDIRECT);
    denied.search = `error=access_denied&state=${callbackUrl.searchParams.get('state')}`;

    // Act + Assess
    expect(
      await reasonOf(
        completeOidcSignIn(client, oidc, { callbackUrl: denied, stateToken, key, now: Date.now() }),
      ),
    ).toBe('exchange');
  });
});

describe('identityFromClaims', () => {
  it('reads Cognito, nested (Keycloak) and single-string group claims; ignores prototype names', () => {
    // Prepare
    const base = oidcConfig();

    // Act
    const cognito = identityFromClaims(
      { sub: 's', 'cognito:groups': ['db-auditors'] },
      { ...base, groupsClaim: 'cognito:groups' },
    );
    const keycloak = identityFromClaims(
      { sub: 's', realm_access: { roles: ['secops'] } },
      { ...base, groupsClaim: 'realm_access.roles' },
    );
    const single = identityFromClaims({ sub: 's', email: 'e@x', groups: 'db-auditors' }, base);
    const hostile = identityFromClaims({ sub: 's', groups: ['constructor', '__proto__', 'toString'] }, base);

    // Assess
    expect(cognito.roles).toEqual(['auditor']);
    expect(keycloak.roles).toEqual(['security-lead', 'auditor']);
    expect(single).toMatchObject({ name: 'e@x', roles: ['auditor'] });
    expect(hostile.roles).toEqual([]);
    expect(() => identityFromClaims({ groups: [] }, base)).toThrow(OidcError);
  });
});
