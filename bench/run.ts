/**
 * `npm run bench`: every benchmark of the project in one run, figures as ratios against a
 * baseline measured in the same run (the machine is shared and noisy). Pinned to one core when
 * `taskset` exists (the ingest issue asks for one-core figures); the query benchmark's export
 * child widens itself to every core (query.ts). Results also go to .bench/results.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

if (!process.env.DASBOARD_BENCH_PINNED && spawnSync('taskset', ['--version']).status === 0) {
  const r = spawnSync(
    'taskset',
    ['-c', '0', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, DASBOARD_BENCH_PINNED: '1' },
    },
  );
  process.exit(r.status ?? 1);
}

const only = process.argv[2];
const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };
if (!only || only === 'ingest') {
  const { benchIngest } = await import('./ingest');
  results.ingest = await benchIngest();
}
if (!only || only === 'query') {
  const { benchQuery } = await import('./query');
  results.query = await benchQuery();
}
if (!only || only === 'ui-bundle') {
  const { benchUiBundle } = await import('./ui-bundle');
  results['ui-bundle'] = await benchUiBundle();
}
if (!only || only === 'ui-timing') {
  const { benchUiTiming } = await import('./ui-timing');
  results['ui-timing'] = await benchUiTiming();
}
mkdirSync('.bench', { recursive: true });
writeFileSync('.bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
