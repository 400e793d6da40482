import { join, resolve } from 'node:path';
import { parseStoreUrl } from '../store/index';
import { createDemoData, ensureDemoUsers, hasActivity } from './demo';
import { CliError } from './errors';
import { ensureBuild, serve } from './serve';

export interface StartOptions {
  port: number;
  host: string;
  store: string | undefined;
  config: string | undefined;
  demoEvents: number;
}

const log = (line: string) => process.stderr.write(`[dasboard] ${line}\n`);

/**
 * `dasboard start`, the embedded demo: a local store filled through the real path if it is empty,
 * local users for each default role, a production build of the dashboard, then the server.
 */
export async function runStart(options: StartOptions): Promise<void> {
  const started = performance.now();
  const location = parseStoreUrl(options.store);
  if (location.kind !== 'local') {
    throw new CliError(
      'start is the embedded demo on a local folder; use `dasboard serve` for an s3:// store',
    );
  }
  const storeDir = location.dir;
  const stateDir = join(storeDir, '.dasboard');
  const configFile = resolve(options.config ?? join(stateDir, 'config.json'));
  log(`store: ${storeDir}`);
  const needData = !(await hasActivity(storeDir));
  if (needData)
    log(
      `the store is empty: creating ${options.demoEvents.toLocaleString('en-US')} demo events over 30 days`,
    );
  // Building and making data both take CPU; together they keep both cores busy.
  await Promise.all([ensureBuild(log), needData ? createDemoData(storeDir, options.demoEvents, log) : null]);
  const users = options.config ? [] : await ensureDemoUsers(configFile, join(stateDir, 'demo-users.json'));
  const url = `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${options.port}`;
  log(`ready in ${Math.round((performance.now() - started) / 1000)} s`);
  if (users.length > 0) {
    log(`demo users (local sign-in; passwords kept in ${join(stateDir, 'demo-users.json')}):`);
    for (const u of users) log(`  ${u.name.padEnd(14)} ${u.password}   role ${u.role}`);
  }
  log(`dashboard: ${url}`);
  await serve({
    port: options.port,
    host: options.host,
    env: { DASBOARD_STORE: storeDir, DASBOARD_CONFIG: configFile, DASBOARD_ENGINE: 'duckdb' },
  });
}
