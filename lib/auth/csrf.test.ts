import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../http/errors';
import { assertCsrf, assertSameOrigin, CSRF_HEADER } from './csrf';

const SECRET = 'c'.repeat(43);
const req = (method: string, headers: Record<string, string>) => ({ method, headers: new Headers(headers) });

describe('assertCsrf', () => {
  it('lets a same-origin POST with the session token through', () => {
    // Prepare
    const request = req('POST', {
      host: 'dasboard.example.com',
      origin: 'https://dasboard.example.com',
      'sec-fetch-site': 'same-origin',
      [CSRF_HEADER]: SECRET,
    });

    // Act + Assess
    expect(() => assertCsrf(request, SECRET)).not.toThrow();
  });

  it('refuses a POST without the token, with a wrong one, or with one of a different length', () => {
    // Prepare
    const base = { host: 'localhost:3000', origin: 'http://localhost:3000' };

    // Act + Assess
    expect(() => assertCsrf(req('POST', base), SECRET)).toThrow(new ForbiddenError('Missing CSRF token'));
    expect(() => assertCsrf(req('DELETE', { ...base, [CSRF_HEADER]: 'd'.repeat(43) }), SECRET)).toThrow(
      'Invalid CSRF token',
    );
    expect(() => assertCsrf(req('PUT', { ...base, [CSRF_HEADER]: SECRET.slice(1) }), SECRET)).toThrow(
      'Invalid CSRF token',
    );
  });

  it('refuses cross-site requests even with the right token', () => {
    // Prepare
    const token = { [CSRF_HEADER]: SECRET, host: 'dasboard.example.com' };

    // Act + Assess
    expect(() => assertCsrf(req('POST', { ...token, origin: 'https://evil.example' }), SECRET)).toThrow(
      'Cross-site request refused',
    );
    expect(() => assertCsrf(req('POST', { ...token, 'sec-fetch-site': 'cross-site' }), SECRET)).toThrow(
      'Cross-site request refused',
    );
    expect(() => assertCsrf(req('POST', { ...token, 'sec-fetch-site': 'same-site' }), SECRET)).toThrow(
      'Cross-site request refused',
    );
    expect(() => assertCsrf(req('POST', { ...token, origin: 'null' }), SECRET)).toThrow(
      'Cross-site request refused',
    );
  });

  it('does not check safe methods', () => {
    expect(() => assertCsrf(req('GET', { origin: 'https://evil.example' }), SECRET)).not.toThrow();
    expect(() => assertCsrf(req('HEAD', {}), SECRET)).not.toThrow();
  });
});

describe('assertSameOrigin', () => {
  it('accepts the configured public origin and X-Forwarded-Host behind a proxy', () => {
    // Prepare
    const viaProxy = new Headers({
      host: 'internal:3000',
      'x-forwarded-host': 'audit.example.com',
      origin: 'https://audit.example.com',
    });
    const configured = new Headers({ host: 'internal:3000', origin: 'https://public.example.com' });

    // Act + Assess
    expect(() => assertSameOrigin(viaProxy)).not.toThrow();
    expect(() => assertSameOrigin(configured, ['https://public.example.com'])).not.toThrow();
    expect(() => assertSameOrigin(configured)).toThrow(ForbiddenError);
  });

  it('lets non-browser clients (no Origin, no Sec-Fetch-Site) through this layer', () => {
    expect(() => assertSameOrigin(new Headers({ host: 'localhost' }))).not.toThrow();
  });
});
