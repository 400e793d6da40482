/**
 * The production dashboard for the UI timing benchmark: `next start` on a free port over a private
 * store whose `activity/` is a link to the benchmark store (so the access log and session secret
 * the server writes never land in the shared store), with one local admin user.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { hashPassword } from '../lib/auth/password';
import { PACKAGE_ROOT } from '../lib/cli/serve';

export interface UiServer {
  readonly baseUrl: string;
  readonly user: { readonly name: string; readonly password: string };
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function prepareStore(workDir: string, activityDir: string) {
  const store = path.join(workDir, 'store');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(store, { recursive: true, mode: 0o700 });
  symlinkSync(path.resolve(activityDir), path.join(store, 'activity'), 'dir');
  const user = { name: 'bench-admin', password: randomBytes(18).toString('base64url') };
  const config = path.join(workDir, 'config.json');
  const users = [{ name: user.name, roles: ['admin'], passwordHash: await hashPassword(user.password) }];
  writeFileSync(config, `${JSON.stringify({ roles: {}, users }, null, 2)}\n`, { mode: 0o600 });
  return { store, config, user };
}

async function waitForHealth(baseUrl: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}): ${log()}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`next start did not answer /api/health within 120 s: ${log()}`);
}

/** Starts `next start` (the build must exist) and resolves once /api/health answers. */
export async function startUiServer(activityDir: string, workDir: string): Promise<UiServer> {
  if (!existsSync(activityDir)) throw new Error(`no activity folder at ${activityDir}`);
  const { store, config, user } = await prepareStore(workDir, activityDir);
  const port = await freePort();
  const next = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const child = spawn(process.execPath, [next, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: PACKAGE_ROOT,
    // Own process group: stop() ends the server and anything it started, nothing else.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      DASBOARD_STORE: store,
      DASBOARD_CONFIG: config,
      DASBOARD_ENGINE: 'duckdb',
      DASBOARD_SESSION_SECRET: randomBytes(32).toString('base64url'),
      DASBOARD_PUBLIC_URL: '',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  };
  try {
    await waitForHealth(baseUrl, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, user, stop };
}
