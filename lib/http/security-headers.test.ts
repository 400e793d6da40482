import { describe, expect, it } from 'vitest';
import { generateNonce, pageCsp } from './security-headers';

describe('pageCsp', () => {
  it('allows scripts by nonce only in production, never unsafe-inline or unsafe-eval', () => {
    // Act
    const csp = pageCsp('bm9uY2U=', { dev: false, secure: true });
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src ')) ?? '';

    // Assess
    expect(scriptSrc).toBe("script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("style-src 'self' 'nonce-bm9uY2U='");
    expect(csp.endsWith('upgrade-insecure-requests')).toBe(true);
  });

  it('does not upgrade requests on plain-http localhost', () => {
    expect(pageCsp('n', { dev: false, secure: false })).not.toContain('upgrade-insecure-requests');
  });
});

describe('generateNonce', () => {
  it('is 128 random bits, different every time', () => {
    const a = generateNonce();
    expect(Buffer.from(a, 'base64')).toHaveLength(16);
    expect(generateNonce()).not.toBe(a);
  });
});
