import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from './errors';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIRS = ['app', 'components', 'lib'];
const STAMP = join(PACKAGE_ROOT, '.next', 'dasboard-source-stamp');

function nextBin(): string {
  return createRequire(import.meta.url).resolve('next/dist/bin/next');
}

/** A fingerprint of the sources a production build depends on (paths, sizes, mtimes). */
function sourceStamp(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith('.test.ts')) {
        const s = statSync(path);
        h.update(`${path}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  for (const d of SOURCE_DIRS) if (existsSync(join(PACKAGE_ROOT, d))) walk(join(PACKAGE_ROOT, d));
  for (const f of ['next.config.js', 'package.json', 'proxy.ts']) {
    if (existsSync(join(PACKAGE_ROOT, f))) h.update(readFileSync(join(PACKAGE_ROOT, f)));
  }
  return h.digest('hex');
}

export function isBuildCurrent(): boolean {
  return (
    existsSync(join(PACKAGE_ROOT, '.next', 'BUILD_ID')) &&
    existsSync(STAMP) &&
    readFileSync(STAMP, 'utf8') === sourceStamp()
  );
}

function runNext(args: string[], env: NodeJS.ProcessEnv, quiet: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin(), ...args], {
      cwd: PACKAGE_ROOT,
      env,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0 && quiet) process.stderr.write(output.slice(-4000));
      resolve(code ?? 1);
    });
  });
}

/** `next build` when the production build is missing or older than the sources. */
export async function ensureBuild(log: (line: string) => void): Promise<void> {
  if (isBuildCurrent()) return;
  log('building the dashboard (next build)…');
  const started = performance.now();
  const code = await runNext(['build'], { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }, true);
  if (code !== 0) throw new CliError('next build failed (output above)', 1);
  writeFileSync(STAMP, sourceStamp());
  log(`dashboard built in ${Math.round((performance.now() - started) / 1000)} s`);
}

export interface ServeOptions {
  port: number;
  host: string;
  env: Record<string, string>;
}

/** Runs the production server in the foreground until it exits (Ctrl-C stops both). */
export async function serve(options: ServeOptions): Promise<void> {
  const code = await runNext(
    ['start', '-p', String(options.port), '-H', options.host],
    { ...process.env, ...options.env, NEXT_TELEMETRY_DISABLED: '1' },
    false,
  );
  if (code !== 0) throw new CliError(`the dashboard server exited with code ${code}`, 1);
}
