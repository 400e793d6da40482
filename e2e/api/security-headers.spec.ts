import { expect, test } from '@playwright/test';
import { randomIp, signIn, userFor } from './helpers';

/** Security headers with exact values, on pages, API answers and redirects. */

const CSP = (nonce: string, secure: boolean) =>
  [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(secure ? ['upgrade-insecure-requests'] : []),
  ].join('; ');

const STATIC = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function nonceOf(csp: string | undefined): string {
  return /'nonce-([A-Za-z0-9+/]{22}==)'/.exec(csp ?? '')?.[1] ?? 'missing';
}

test('pages: nonce CSP (no unsafe-inline scripts), every script carries the nonce, no HSTS on localhost', async ({
  request,
}) => {
  // Act
  const first = await request.get('/sign-in');
  const second = await request.get('/sign-in');
  const headers = first.headers();
  const nonce = nonceOf(headers['content-security-policy']);
  const html = await first.text();

  // Assess
  expect(first.status()).toBe(200);
  expect(headers['content-security-policy']).toBe(CSP(nonce, false));
  expect(headers['content-security-policy']).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(nonceOf(second.headers()['content-security-policy'])).not.toBe(nonce);
  expect(headers).toMatchObject(STATIC);
  expect(headers['strict-transport-security']).toBeUndefined();
  expect(headers['x-powered-by']).toBeUndefined();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
});

test('outside localhost: HSTS and upgrade-insecure-requests', async ({ request }) => {
  // Act
  const response = await request.get('/sign-in', { headers: { host: 'dasboard.example.test' } });
  const headers = response.headers();

  // Assess
  expect(headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
  expect(headers['content-security-policy']).toBe(CSP(nonceOf(headers['content-security-policy']), true));
});

test('API answers: nothing may load or frame them', async ({ request }) => {
  // Prepare
  const { cookie } = await signIn(request, userFor('auditor'));

  // Act
  const responses = [
    await request.get('/api/health'),
    await request.get('/api/me', { headers: { cookie } }),
    await request.get('/api/me'),
  ];

  // Assess
  for (const r of responses) {
    expect(r.headers()).toMatchObject({
      ...STATIC,
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cache-control': 'no-store',
    });
    expect(r.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  }
  expect(await responses[0]?.json()).toEqual({ status: 'ok' });
});

test('pages without a session redirect to /sign-in (with the page to come back to)', async ({ request }) => {
  // Act
  const overview = await request.get('/', { maxRedirects: 0 });
  const deep = await request.get('/activity?q=class:DDL', { maxRedirects: 0 });
  const forged = await request.get('/', { maxRedirects: 0, headers: { cookie: 'dasboard_session=forged' } });

  // Assess
  expect(overview.status()).toBe(303);
  expect(overview.headers().location).toMatch(/\/sign-in$/);
  const returnTo = new URL(deep.headers().location ?? '', 'http://x').searchParams.get('returnTo');
  expect(decodeURIComponent(returnTo ?? '')).toBe('/activity?q=class:DDL');
  expect(overview.headers()['x-frame-options']).toBe('DENY');
  // A cookie that merely exists passes the proxy; the layout's server-side check still refuses it.
  expect(forged.status()).toBe(307);
  expect(forged.headers().location).toBe('/sign-in');
});

test('signed in: the overview renders; /sign-in never redirects off-site', async ({ request }) => {
  // Prepare
  const { cookie } = await signIn(request, userFor('admin'));

  // Act
  const overview = await request.get('/', { headers: { cookie } });
  const offsite = await request.get('/sign-in?returnTo=//evil.example/x', {
    headers: { cookie },
    maxRedirects: 0,
  });

  // Assess
  expect(overview.status()).toBe(200);
  expect(await overview.text()).toContain('Access log');
  expect(offsite.status()).toBe(307);
  expect(offsite.headers().location).toBe('/');
});

test('single sign-on is 404 when no OIDC provider is configured', async ({ request }) => {
  const response = await request.get('/api/auth/oidc/start', {
    maxRedirects: 0,
    headers: { 'x-forwarded-for': randomIp() },
  });
  expect(response.status()).toBe(404);
  expect(await response.json()).toMatchObject({
    error: { code: 'not_found', message: 'Single sign-on is not configured' },
  });
});
