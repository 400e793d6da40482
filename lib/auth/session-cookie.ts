/**
 * Cookie names and attributes (pure; the proxy uses it too). Outside localhost every cookie is
 * Secure and the session cookie takes the `__Host-` prefix (Secure, Path=/, no Domain: no sibling
 * sub-domain can set or shadow it). SameSite=Lax, not Strict: the OIDC callback is a cross-site
 * top-level navigation, and with Strict the first page after sign-in would arrive without the
 * cookie. Lax cookies ride only on top-level GETs, which change nothing here; every state-changing
 * route also needs the CSRF token (lib/auth/csrf.ts).
 */

export const COOKIE_NAMES = {
  session: { secure: '__Host-dasboard', insecure: 'dasboard_session' },
  oidcState: { secure: '__Host-dasboard-oidc', insecure: 'dasboard_oidc' },
} as const;

export const THEME_COOKIE = 'dasboard_theme';

export type CookieKind = keyof typeof COOKIE_NAMES;

export function cookieName(kind: CookieKind, secure: boolean): string {
  return secure ? COOKIE_NAMES[kind].secure : COOKIE_NAMES[kind].insecure;
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1, with or without a port. */
export function isLoopbackHost(hostHeader: string | null): boolean {
  if (hostHeader === null) return false;
  const host = hostHeader
    .trim()
    .toLowerCase()
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1');
  return (
    host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1'
  );
}

/**
 * Secure unless the request is plain http to a loopback host. A non-loopback host is always
 * treated as https: dasboard outside a laptop must sit behind TLS.
 */
export function isSecureRequest(headers: Pick<Headers, 'get'>): boolean {
  if (!isLoopbackHost(headers.get('host'))) return true;
  return headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

export interface CookieAttributes {
  readonly secure: boolean;
  /** Seconds; 0 deletes the cookie. */
  readonly maxAge: number;
  readonly path?: string;
  readonly httpOnly?: boolean;
}

/** A Set-Cookie header value. Values are base64url/JWE compact: no quoting needed. */
export function serializeCookie(name: string, value: string, attrs: CookieAttributes): string {
  if (!/^[A-Za-z0-9._~+/=-]*$/.test(value)) throw new Error('cookie value has unsafe characters');
  const parts = [`${name}=${value}`, `Path=${attrs.path ?? '/'}`, `Max-Age=${Math.max(0, attrs.maxAge)}`];
  if (attrs.maxAge <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (attrs.httpOnly ?? true) parts.push('HttpOnly');
  if (attrs.secure) parts.push('Secure');
  parts.push('SameSite=Lax');
  return parts.join('; ');
}

/** The value of cookie `name` from a Cookie header, or undefined. */
export function readCookie(cookieHeader: string | null, name: string): string | undefined {
  if (cookieHeader === null) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
