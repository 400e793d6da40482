import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashPassword } from '../auth/password';

/**
 * withRoute + the auth routes in-process: real NextRequests through the real handlers, with a
 * temp store (embedded mode: generated session secret) and a temp config file.
 */

type Handler = (
  request: NextRequest,
  segment: { params: Promise<Record<string, string>> },
) => Promise<Response>;
const segment = { params: Promise.resolve({}) };
let dir = '';
let configFile = '';
let signIn: Handler;
let signOut: Handler;
let me: Handler;
const users: { name: string; roles: string[]; passwordHash: string }[] = [];
const logLines: string[] = [];

beforeAll(async () => {
  vi.spyOn(console, 'info').mockImplementation((line: unknown) => {
    logLines.push(String(line));
  });
  dir = mkdtempSync(path.join(tmpdir(), 'dasboard-route-'));
  configFile = path.join(dir, 'config.json');
  users.push({ name: 'ann', roles: ['auditor'], passwordHash: await hashPassword('ann-password-1') });
  users.push({ name: 'cy', roles: ['app-team'], passwordHash: await hashPassword('cy-password-22') });
  writeFileSync(configFile, JSON.stringify({ roles: {}, users }));
  vi.stubEnv('DASBOARD_STORE', path.join(dir, 'store'));
  vi.stubEnv('DASBOARD_CONFIG', configFile);
  vi.stubEnv('DASBOARD_SESSION_SECRET', '');
  vi.stubEnv('DASBOARD_PUBLIC_URL', '');
  signIn = (await import('../../app/api/auth/sign-in/route')).POST;
  signOut = (await import('../../app/api/auth/sign-out/route')).POST;
  me = (await import('../../app/api/me/route')).GET;
});
afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
) {
  const headers = { host: 'localhost:3000', 'x-forwarded-for': '127.0.0.9', ...init.headers };
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  return new NextRequest(new URL(url, 'http://localhost:3000'), {
    method: init.method ?? 'GET',
    headers,
    body,
  });
}

async function signInAs(name: string, password: string, headers: Record<string, string> = {}) {
  const response = await signIn(
    request('/api/auth/sign-in', { method: 'POST', body: { name, password }, headers }),
    segment,
  );
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  return { response, setCookie, cookie, body: response.ok ? await response.json() : await response.json() };
}

describe('withRoute (auth routes)', () => {
  it('answers 401 JSON with a request id when there is no session', async () => {
    // Act
    const response = await me(request('/api/me'), segment);

    // Assess
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { code: 'unauthorized', message: 'Sign in to continue' },
    });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('signs in: httpOnly Lax cookie (no Secure on localhost), CSRF token, generated secret file 0600', async () => {
    // Act
    const { response, setCookie, body } = await signInAs('ann', 'ann-password-1');

    // Assess
    expect(response.status).toBe(200);
    expect(setCookie).toMatch(
      /^dasboard_session=[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+; Path=\/; Max-Age=1800; HttpOnly; SameSite=Lax$/,
    );
    expect(body).toMatchObject({
      user: { id: 'local:ann', name: 'ann', roles: ['auditor'] },
      grant: { export: true },
    });
    const secretFile = path.join(dir, 'store', '.dasboard', 'session-secret');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(secretFile, 'utf8').length).toBeGreaterThanOrEqual(43);
  });

  it('uses a __Host- Secure cookie for any non-loopback host', async () => {
    // Act
    const { setCookie } = await signInAs('cy', 'cy-password-22', { host: 'audit.example.com' });

    // Assess
    expect(setCookie).toMatch(
      /^__Host-dasboard=[^;]+; Path=\/; Max-Age=1800; HttpOnly; Secure; SameSite=Lax$/,
    );
  });

  it('refuses a cross-site sign-in POST (login CSRF)', async () => {
    // Act
    const { response, setCookie } = await signInAs('ann', 'ann-password-1', {
      origin: 'https://evil.example',
    });

    // Assess
    expect(response.status).toBe(403);
    expect(setCookie).toBe('');
  });

  it('resolves the principal from the cookie; the session cookie of one host is not read on another', async () => {
    // Prepare
    const { cookie, body } = await signInAs('ann', 'ann-password-1');

    // Act
    const mine = await me(request('/api/me', { headers: { cookie } }), segment);
    const elsewhere = await me(
      request('/api/me', { headers: { cookie, host: 'audit.example.com' } }),
      segment,
    );

    // Assess
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ user: { name: 'ann' }, csrfToken: body.csrfToken });
    expect(elsewhere.status).toBe(401);
  });

  it('sign-out needs the CSRF token, revokes the session, and the old cookie stops working', async () => {
    // Prepare
    const { cookie, body } = await signInAs('ann', 'ann-password-1');
    const post = (headers: Record<string, string>) =>
      signOut(request('/api/auth/sign-out', { method: 'POST', headers: { cookie, ...headers } }), segment);

    // Act
    const missing = await post({});
    const wrong = await post({ 'x-csrf-token': 'x'.repeat(43) });
    const crossSite = await post({ 'x-csrf-token': body.csrfToken, origin: 'https://evil.example' });
    const ok = await post({ 'x-csrf-token': body.csrfToken });
    const reused = await me(request('/api/me', { headers: { cookie } }), segment);

    // Assess
    expect([missing.status, wrong.status, crossSite.status, ok.status, reused.status]).toEqual([
      403, 403, 403, 200, 401,
    ]);
    expect((await missing.json()).error.message).toBe('Missing CSRF token');
    expect(ok.headers.get('set-cookie')).toBe(
      'dasboard_session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    );
    const revoked = JSON.parse(
      readFileSync(path.join(dir, 'store', '.dasboard', 'revoked-sessions.json'), 'utf8'),
    );
    expect(Object.keys(revoked)).toHaveLength(1);
  });

  it('rotates the cookie after 5 minutes and times out after 30 idle minutes', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const { cookie } = await signInAs('cy', 'cy-password-22');

    // Act
    vi.advanceTimersByTime(4 * 60_000);
    const early = await me(request('/api/me', { headers: { cookie } }), segment);
    vi.advanceTimersByTime(2 * 60_000);
    const due = await me(request('/api/me', { headers: { cookie } }), segment);
    const rotated = (due.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    vi.advanceTimersByTime(25 * 60_000);
    const oldAfterIdle = await me(request('/api/me', { headers: { cookie } }), segment);
    const newAfterIdle = await me(request('/api/me', { headers: { cookie: rotated } }), segment);
    vi.useRealTimers();

    // Assess
    expect(early.headers.get('set-cookie')).toBeNull();
    expect(rotated).toMatch(/^dasboard_session=/);
    expect(rotated).not.toBe(cookie);
    expect([early.status, due.status, oldAfterIdle.status, newAfterIdle.status]).toEqual([
      200, 200, 401, 200,
    ]);
  });

  it('ends the session when the config changes the user (password changed, user removed)', async () => {
    // Prepare
    const { cookie } = await signInAs('ann', 'ann-password-1');
    const before = await me(request('/api/me', { headers: { cookie } }), segment);
    const changed = users.map((u) =>
      u.name === 'ann' ? { ...u, passwordHash: (users[1] ?? u).passwordHash } : u,
    );

    // Act: same size, so move the mtime on explicitly
    writeFileSync(configFile, JSON.stringify({ roles: {}, users: changed }));
    utimesSync(configFile, new Date(), new Date(Date.now() + 10_000));
    const after = await me(request('/api/me', { headers: { cookie } }), segment);
    writeFileSync(configFile, JSON.stringify({ roles: {}, users }));
    utimesSync(configFile, new Date(), new Date(Date.now() + 20_000));

    // Assess
    expect(before.status).toBe(200);
    expect(after.status).toBe(401);
  });

  it('locks a name after 5 failures: 401 ×5, then 429 with Retry-After even for the right password', async () => {
    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push(
        (await signInAs('cy', `wrong-password-${i}`, { 'x-forwarded-for': `198.51.100.${i}` })).response
          .status,
      );
    }
    const locked = await signInAs('cy', 'cy-password-22', { 'x-forwarded-for': '198.51.100.99' });

    // Assess
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(locked.response.status).toBe(429);
    expect(locked.response.headers.get('retry-after')).toBe('900');
    expect(locked.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(locked.setCookie).toBe('');
  });

  it('gives one answer for an unknown user and a wrong password', async () => {
    // Act
    const unknown = await signInAs('nobody', 'some-password-1', { 'x-forwarded-for': '198.51.100.200' });
    const wrong = await signInAs('ann', 'some-password-1', { 'x-forwarded-for': '198.51.100.201' });

    // Assess
    expect(unknown.response.status).toBe(401);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
    expect(unknown.body.error.message).toBe('Wrong user name or password');
  });

  it('logs one structured line per request, without passwords, cookies or tokens', async () => {
    // Prepare
    const { cookie, body } = await signInAs('ann', 'ann-password-1', { 'x-forwarded-for': '198.51.100.250' });
    await me(request('/api/me?q=secret-search-text', { headers: { cookie } }), segment);

    // Assess
    const lines = logLines.map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'GET',
      path: '/api/me',
      status: 200,
      user: 'local:ann',
    });
    const all = logLines.join('\n');
    for (const secret of [
      'ann-password-1',
      'cy-password-22',
      'wrong-password-',
      cookie.split('=')[1] ?? 'x',
      body.csrfToken,
      'secret-search-text',
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});
