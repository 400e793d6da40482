import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, E2E_BASE_URL, E2E_CONFIG, E2E_PORT, E2E_STORE } from './e2e/paths';

/**
 * Two projects: `api` (HTTP contract and attack specs, e2e/api/**, no browser) and `ui`
 * (e2e/*.spec.ts, Debian chromium). One production server for both: `next build` once, then
 * `next start`, on a temp store and a generated config (e2e/global-setup.ts).
 * E2E_SKIP_BUILD=1 reuses an existing .next build; the build skips type checking (tsc runs in
 * `npm run verify`).
 */

const build = process.env.E2E_SKIP_BUILD === '1' ? '' : 'DASBOARD_BUILD_SKIP_TYPECHECK=1 npx next build && ';

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  globalSetup: './e2e/global-setup.ts',
  use: { baseURL: E2E_BASE_URL, trace: 'on-first-retry' },
  projects: [
    { name: 'api', testMatch: /e2e\/api\/.+\.spec\.ts$/ },
    {
      name: 'ui',
      testMatch: /e2e\/[^/]+\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: CHROMIUM_PATH,
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
  webServer: {
    command: `node --import tsx e2e/global-setup.ts && ${build}npx next start -H 127.0.0.1 -p ${E2E_PORT}`,
    url: `${E2E_BASE_URL}/api/health`,
    reuseExistingServer: !process.env.CI,
    timeout: 900_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      DASBOARD_STORE: E2E_STORE,
      DASBOARD_CONFIG: E2E_CONFIG,
      DASBOARD_ENGINE: 'duckdb',
      // Embedded mode: the server generates <store>/.dasboard/session-secret (the attack specs read it).
      DASBOARD_SESSION_SECRET: '',
      DASBOARD_PUBLIC_URL: '',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});
