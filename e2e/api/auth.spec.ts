import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { deriveKey } from '../../lib/auth/seal';
import { E2E_CONFIG } from '../paths';
import { COOKIE, e2eUsers, randomIp, sealedCookie, serverSessionKey, signIn, userFor } from './helpers';

/**
 * Attack specs against the running production server. Each asserts the exact refusal.
 * (Cookies are passed by hand: every request context starts without a cookie jar state.)
 */

const ALL = ['DDL', 'DML', 'DQL', 'DCL', 'TCL', 'CONNECT', 'DISCONNECT', 'AUTH_FAILURE', 'ERROR', 'OTHER'];
const EXPECTED_GRANTS: Record<string, object> = {
  admin: {
    classes: ALL,
    resources: '*',
    databases: '*',
    statementText: 'full',
    export: true,
    accessLog: true,
  },
  auditor: {
    classes: ALL,
    resources: '*',
    databases: '*',
    statementText: 'full',
    export: true,
    accessLog: false,
  },
  'security-lead': {
    classes: ['DDL', 'DCL', 'CONNECT', 'DISCONNECT', 'AUTH_FAILURE', 'ERROR'],
    resources: '*',
    databases: '*',
    statementText: 'full',
    export: false,
    accessLog: false,
  },
  'app-team': {
    classes: ['DDL', 'DML'],
    resources: '*',
    databases: ['app'],
    statementText: 'masked',
    export: false,
    accessLog: false,
  },
};
const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'Sign in to continue' } };

// The pwv claim the server expects for a local user: fingerprint of the hash in the config.
function identityOf(name: string) {
  const config = JSON.parse(readFileSync(E2E_CONFIG, 'utf8'));
  const user = config.users.find((u: { name: string }) => u.name === name);
  const pwv = createHash('sha256').update(user.passwordHash).digest('base64url').slice(0, 16);
  return { sub: `local:${name}`, name, idp: 'local' as const, roles: user.roles, pwv };
}

test.describe('sign-in per default role', () => {
  for (const role of Object.keys(EXPECTED_GRANTS)) {
    test(`${role} signs in and gets exactly the ${role} grant`, async ({ request }) => {
      // Act
      const { cookie, setCookie } = await signIn(request, userFor(role));
      const me = await request.get('/api/me', { headers: { cookie } });

      // Assess
      expect(setCookie).toMatch(
        new RegExp(
          `^${COOKIE}=[\\w-]+\\.\\.[\\w-]+\\.[\\w-]+\\.[\\w-]+; Path=/; Max-Age=1800; HttpOnly; SameSite=Lax$`,
        ),
      );
      expect(me.status()).toBe(200);
      const body = await me.json();
      expect(body.user).toEqual({
        id: `local:e2e-${role}`,
        name: `e2e-${role}`,
        idp: 'local',
        roles: [role],
      });
      expect(body.grant).toEqual(EXPECTED_GRANTS[role]);
    });
  }
});

test.describe('session cookies', () => {
  test('no cookie → 401', async ({ request }) => {
    const response = await request.get('/api/me');
    expect(response.status()).toBe(401);
    expect(await response.json()).toMatchObject(UNAUTHORIZED);
  });

  test('forged cookies → 401 (junk, JWE-shaped junk, claims sealed with a guessed key)', async ({
    request,
  }) => {
    // Prepare
    const wrongKey = deriveKey('attacker-guess-0123456789-0123456789', 'session');
    const forged = [
      `${COOKIE}=hello`,
      `${COOKIE}=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA`,
      await sealedCookie(identityOf(userFor('admin').name), wrongKey, Date.now()),
    ];

    // Act + Assess
    for (const cookie of forged) {
      const response = await request.get('/api/me', { headers: { cookie } });
      expect(response.status()).toBe(401);
      expect(await response.json()).toMatchObject(UNAUTHORIZED);
    }
  });

  test('a cookie sealed with the real key works, but not once expired or idle', async ({ request }) => {
    // Prepare: the control proves the forging method is right, so the 401s below mean "expired"
    await signIn(request, userFor('auditor')); // the server has created its secret by now
    const key = serverSessionKey();
    const identity = identityOf(userFor('auditor').name);
    const fresh = await sealedCookie(identity, key, Date.now());
    const idle = await sealedCookie(identity, key, Date.now() - 31 * 60_000);
    const pastAbsolute = await sealedCookie(identity, key, Date.now() - 9 * 60 * 60_000);

    // Act
    const statuses = [];
    for (const cookie of [fresh, idle, pastAbsolute])
      statuses.push((await request.get('/api/me', { headers: { cookie } })).status());

    // Assess
    expect(statuses).toEqual([200, 401, 401]);
  });

  test("another user's cookie with altered bytes, or with claims re-sealed for admin, → 401", async ({
    request,
  }) => {
    // Prepare
    const { cookie } = await signIn(request, userFor('app-team'));
    const token = cookie.slice(COOKIE.length + 1);
    const parts = token.split('.');
    const flip = (s: string) => `${s.slice(0, 5)}${s[5] === 'A' ? 'B' : 'A'}${s.slice(6)}`;
    const tampered = [2, 3, 4].map((i) => parts.map((p, j) => (j === i ? flip(p) : p)).join('.'));
    const asAdmin = await sealedCookie(
      { ...identityOf(userFor('app-team').name), roles: ['admin'] },
      deriveKey('x'.repeat(40), 'session'),
      Date.now(),
    );

    // Act + Assess
    for (const t of tampered)
      expect((await request.get('/api/me', { headers: { cookie: `${COOKIE}=${t}` } })).status()).toBe(401);
    expect((await request.get('/api/me', { headers: { cookie: asAdmin } })).status()).toBe(401);
    expect((await request.get('/api/me', { headers: { cookie } })).status()).toBe(200);
  });

  test('a role claim the config does not give is narrowed to the configured roles', async ({ request }) => {
    // Prepare: sealed with the real key, app-team user claiming admin (the server re-reads roles from config)
    await signIn(request, userFor('app-team'));
    const identity = { ...identityOf(userFor('app-team').name), roles: ['admin'] };
    const cookie = await sealedCookie(identity, serverSessionKey(), Date.now());

    // Act
    const me = await request.get('/api/me', { headers: { cookie } });

    // Assess
    expect(me.status()).toBe(200);
    expect((await me.json()).user.roles).toEqual(['app-team']);
  });

  test('sign-out, then reuse of the old cookie → 401', async ({ request }) => {
    // Prepare
    const { cookie, csrfToken } = await signIn(request, userFor('security-lead'));

    // Act
    const out = await request.post('/api/auth/sign-out', { headers: { cookie, 'x-csrf-token': csrfToken } });
    const reuse = await request.get('/api/me', { headers: { cookie } });

    // Assess
    expect(out.status()).toBe(200);
    expect(out.headers()['set-cookie']).toBe(
      `${COOKIE}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax`,
    );
    expect(reuse.status()).toBe(401);
    expect(await reuse.json()).toMatchObject(UNAUTHORIZED);
  });

  test('outside localhost the cookie is __Host- and Secure', async ({ request }) => {
    // Act
    const { setCookie } = await signIn(request, userFor('auditor'), { host: 'dasboard.example.test' });

    // Assess
    expect(setCookie).toMatch(
      /^__Host-dasboard=[^;]+; Path=\/; Max-Age=1800; HttpOnly; Secure; SameSite=Lax$/,
    );
  });
});

test.describe('CSRF on state-changing routes', () => {
  test("POST without, with a wrong, with another session's, or cross-site token → 403; the session survives", async ({
    request,
  }) => {
    // Prepare
    const { cookie, csrfToken } = await signIn(request, userFor('admin'));
    const other = await signIn(request, userFor('auditor'));
    const post = (headers: Record<string, string>) =>
      request.post('/api/auth/sign-out', { headers: { cookie, ...headers } });

    // Act
    const results = [
      await post({}),
      await post({ 'x-csrf-token': 'A'.repeat(43) }),
      await post({ 'x-csrf-token': other.csrfToken }),
      await post({ 'x-csrf-token': csrfToken, origin: 'https://evil.example' }),
      await post({ 'x-csrf-token': csrfToken, 'sec-fetch-site': 'cross-site' }),
    ];

    // Assess
    const bodies = await Promise.all(results.map((r) => r.json()));
    expect(results.map((r) => r.status())).toEqual([403, 403, 403, 403, 403]);
    expect(bodies.map((b) => b.error.message)).toEqual([
      'Missing CSRF token',
      'Invalid CSRF token',
      'Invalid CSRF token',
      'Cross-site request refused',
      'Cross-site request refused',
    ]);
    expect((await request.get('/api/me', { headers: { cookie } })).status()).toBe(200);
  });

  test('a cross-site sign-in POST (login CSRF) → 403 and no cookie', async ({ request }) => {
    const user = userFor('auditor');
    const response = await request.post('/api/auth/sign-in', {
      data: { name: user.name, password: user.password },
      headers: { origin: 'https://evil.example', 'x-forwarded-for': randomIp() },
    });
    expect(response.status()).toBe(403);
    expect(response.headers()['set-cookie']).toBeUndefined();
  });
});

test.describe('brute force', () => {
  test('5 failures → 401 each; then 429 with Retry-After, even with the right password from another IP', async ({
    request,
  }) => {
    // Prepare
    const victim = e2eUsers().find((u) => u.name.startsWith('victim-'));
    if (victim === undefined) throw new Error('no victim user');
    const attempt = (password: string) =>
      request.post('/api/auth/sign-in', {
        data: { name: victim.name, password },
        headers: { 'x-forwarded-for': randomIp() },
      });

    // Act
    const failures = [];
    for (let i = 0; i < 5; i += 1) failures.push((await attempt(`guess-number-${i}`)).status());
    const locked = await attempt(victim.password);

    // Assess
    expect(failures).toEqual([401, 401, 401, 401, 401]);
    expect(locked.status()).toBe(429);
    expect(locked.headers()['retry-after']).toBe('900');
    expect(locked.headers()['set-cookie']).toBeUndefined();
    expect(await locked.json()).toMatchObject({
      error: { code: 'rate_limited', message: 'Too many failed sign-ins. Try again later.' },
    });
  });

  test('20 failures from one address over many names → that address gets 429, even for a valid user', async ({
    request,
  }) => {
    // Prepare
    const ip = randomIp();
    const post = (name: string, password: string) =>
      request.post('/api/auth/sign-in', { data: { name, password }, headers: { 'x-forwarded-for': ip } });

    // Act
    const statuses = [];
    for (let i = 0; i < 20; i += 1)
      statuses.push((await post(`spray-${Date.now()}-${i}`, 'Spring2026!!x')).status());
    const valid = userFor('admin');
    const blocked = await post(valid.name, valid.password);

    // Assess
    expect(statuses).toEqual(Array(20).fill(401));
    expect(blocked.status()).toBe(429);
    expect(Number(blocked.headers()['retry-after'])).toBeGreaterThan(800);
  });

  test('unknown user and wrong password get the same answer', async ({ request }) => {
    const post = (name: string) =>
      request.post('/api/auth/sign-in', {
        data: { name, password: 'not-the-password' },
        headers: { 'x-forwarded-for': randomIp() },
      });
    const decoy = e2eUsers().find((u) => u.name.startsWith('decoy-'))?.name ?? 'decoy';
    const [unknown, wrong] = [await post(`nobody-${Date.now()}`), await post(decoy)];
    expect([unknown.status(), wrong.status()]).toEqual([401, 401]);
    expect(await unknown.json()).toEqual({
      error: { code: 'unauthorized', message: 'Wrong user name or password', requestId: expect.any(String) },
    });
    expect((await wrong.json()).error.message).toBe('Wrong user name or password');
  });
});
