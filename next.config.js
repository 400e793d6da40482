/**
 * Next.js config. Security headers for pages and API routes are set per request in proxy.ts
 * (they need a nonce and the request's host); build assets get the static ones here.
 * The environment is validated at server start (lib/env.ts, on first import), not at build time:
 * one build serves every environment (embedded demo, Athena).
 */

const assetHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // The e2e server build sets this: `npm run typecheck` (tsc) checks types in CI, the build need not repeat it.
  typescript: { ignoreBuildErrors: process.env.DASBOARD_BUILD_SKIP_TYPECHECK === '1' },
  reactStrictMode: true,
  output: 'standalone',
  // Native module: keep it out of the bundle and load it from node_modules at run time.
  serverExternalPackages: ['@duckdb/node-api', '@duckdb/node-bindings'],
  outputFileTracingIncludes: {
    '/**': ['./node_modules/@duckdb/node-bindings-*/*.so', './node_modules/@duckdb/node-bindings-*/*.node'],
  },
  async headers() {
    return [{ source: '/_next/static/:path*', headers: assetHeaders }];
  },
};

export default nextConfig;
