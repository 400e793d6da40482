import { type NextRequest, NextResponse } from 'next/server';
import { COOKIE_NAMES, isSecureRequest } from './lib/auth/session-cookie';
import {
  API_CSP,
  generateNonce,
  HSTS_VALUE,
  pageCsp,
  STATIC_SECURITY_HEADERS,
} from './lib/http/security-headers';

/**
 * Runs before every page and API route: security headers (nonce CSP, HSTS outside localhost,
 * frame-ancestors 'none', …) and a redirect to /sign-in for page requests without a session
 * cookie. Only an optimistic check: whether the cookie is valid is decided on the server by
 * withRoute (API) and requirePagePrincipal (pages).
 */

const PUBLIC_PAGES = new Set(['/sign-in']);

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const secure = isSecureRequest(request.headers);
  const isApi = pathname === '/api' || pathname.startsWith('/api/');

  if (!isApi && !PUBLIC_PAGES.has(pathname) && !hasSessionCookie(request)) {
    const target = new URL('/sign-in', request.url);
    if (pathname !== '/') target.searchParams.set('returnTo', `${pathname}${search}`);
    return withHeaders(NextResponse.redirect(target, 303), API_CSP, secure);
  }
  if (isApi) return withHeaders(NextResponse.next(), API_CSP, secure);

  const nonce = generateNonce();
  const csp = pageCsp(nonce, { dev: process.env.NODE_ENV === 'development', secure });
  // Next.js takes the nonce for its own scripts from the request's CSP header.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp, secure);
}

function hasSessionCookie(request: NextRequest): boolean {
  return (
    request.cookies.has(COOKIE_NAMES.session.secure) || request.cookies.has(COOKIE_NAMES.session.insecure)
  );
}

function withHeaders(response: NextResponse, csp: string, secure: boolean): NextResponse {
  response.headers.set('content-security-policy', csp);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  if (secure) response.headers.set('strict-transport-security', HSTS_VALUE);
  return response;
}

export const config = {
  matcher: [
    // Everything but build assets (immutable, served with their own headers) and the icon.
    '/((?!_next/static|_next/image|favicon.ico|icon.svg).*)',
  ],
};
