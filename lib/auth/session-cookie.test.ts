import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to';
import { cookieName, isLoopbackHost, isSecureRequest, readCookie, serializeCookie } from './session-cookie';

describe('isSecureRequest', () => {
  it('is false only for plain http to a loopback host', () => {
    expect(isSecureRequest(new Headers({ host: 'localhost:3000' }))).toBe(false);
    expect(isSecureRequest(new Headers({ host: '127.0.0.1:3210' }))).toBe(false);
    expect(isSecureRequest(new Headers({ host: '[::1]:3000' }))).toBe(false);
    expect(isSecureRequest(new Headers({ host: 'localhost', 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(isSecureRequest(new Headers({ host: 'dasboard.example.com', 'x-forwarded-proto': 'http' }))).toBe(
      true,
    );
    expect(isSecureRequest(new Headers({ host: '192.168.1.20:3000' }))).toBe(true);
    expect(isSecureRequest(new Headers())).toBe(true);
  });

  it('does not mistake look-alike hosts for loopback', () => {
    expect(isLoopbackHost('localhost.evil.example')).toBe(false);
    expect(isLoopbackHost('127.0.0.1.nip.io')).toBe(false);
    expect(isLoopbackHost('app.localhost:3000')).toBe(true);
  });
});

describe('serializeCookie', () => {
  it('writes __Host- session cookies with Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain', () => {
    // Act
    const header = serializeCookie(cookieName('session', true), 'abc.def', { secure: true, maxAge: 1800 });

    // Assess
    expect(header).toBe('__Host-dasboard=abc.def; Path=/; Max-Age=1800; HttpOnly; Secure; SameSite=Lax');
  });

  it('deletes with Max-Age=0 and an old Expires; plain name on localhost', () => {
    expect(serializeCookie(cookieName('session', false), '', { secure: false, maxAge: 0 })).toBe(
      'dasboard_session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    );
  });

  it('refuses values that could inject attributes', () => {
    expect(() => serializeCookie('x', 'a; Domain=evil.example', { secure: true, maxAge: 1 })).toThrow(
      /unsafe/,
    );
  });
});

describe('readCookie', () => {
  it('finds the exact name only', () => {
    const header = 'dasboard_session_x=1; dasboard_session=tok.en; other=2';
    expect(readCookie(header, 'dasboard_session')).toBe('tok.en');
    expect(readCookie(header, 'missing')).toBeUndefined();
    expect(readCookie(null, 'dasboard_session')).toBeUndefined();
  });
});

describe('safeReturnTo', () => {
  it('keeps same-origin paths and turns everything else into /', () => {
    expect(safeReturnTo('/activity?q=class:DDL')).toBe('/activity?q=class:DDL');
    for (const hostile of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '/a\nb',
      '/sign-in',
      '/api/me',
      42,
      undefined,
    ]) {
      expect(safeReturnTo(hostile)).toBe('/');
    }
  });
});
