/**
 * Security headers (pure; proxy.ts applies them to every page and API response).
 * Pages get a per-request nonce CSP: Next.js reads the nonce from the request's CSP header and
 * puts it on its own scripts, so script-src needs no 'unsafe-inline'. 'strict-dynamic' lets those
 * scripts load the app's chunks. Style *attributes* stay allowed (style-src-attr): React server-
 * renders `style` props, and attributes cannot run script; <style> elements still need the nonce.
 */

export const HSTS_VALUE = 'max-age=63072000; includeSubDomains';

export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** JSON answers never render: nothing may load or frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function pageCsp(nonce: string, opts: { dev: boolean; secure: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ''}`,
    // Dev mode injects <style> tags without a nonce (hot reload).
    `style-src 'self' ${opts.dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (opts.secure) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

/** 128 random bits, base64. */
export function generateNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
