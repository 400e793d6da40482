#!/usr/bin/env node
// `npm test`: every Vitest suite, then the Playwright e2e projects, then one plain
// "N passed, N failed" line (CI reads that line, not the runners' own summaries).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const out = 'test-results';
mkdirSync(out, { recursive: true });
const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

let passed = 0;
let failed = 0;

rmSync(`${out}/vitest.json`, { force: true });
const vitestStatus = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${out}/vitest.json`,
]);
if (existsSync(`${out}/vitest.json`)) {
  const r = JSON.parse(readFileSync(`${out}/vitest.json`, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0) + (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A suite that failed to load has no tests counted: count it as a failure.
  for (const s of r.testResults ?? [])
    if (s.status === 'failed' && (s.assertionResults ?? []).length === 0) failed += 1;
} else if (vitestStatus !== 0) {
  failed += 1;
}

if (existsSync('playwright.config.ts')) {
  rmSync(`${out}/playwright.json`, { force: true });
  const pwStatus = run('npx', ['playwright', 'test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/playwright.json`,
  });
  if (existsSync(`${out}/playwright.json`)) {
    const r = JSON.parse(readFileSync(`${out}/playwright.json`, 'utf8'));
    const s = r.stats ?? {};
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += (s.unexpected ?? 0) + (s.skipped ?? 0);
    if ((r.errors ?? []).length > 0 && (s.expected ?? 0) + (s.unexpected ?? 0) === 0) failed += 1;
  } else if (pwStatus !== 0) {
    failed += 1;
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
