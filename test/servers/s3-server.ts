import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * An S3-compatible server for integration tests: s3rver (patched, see patches/) in a child process,
 * behind a small proxy in the test process that records requests and injects S3-style failures.
 */
export interface S3TestServer {
  /** The proxy's URL (http://127.0.0.1:port): point clients here. */
  readonly endpoint: string;
  readonly bucket: string;
  /** s3rver's data folder (fresh per server, removed by close()). */
  readonly dataDir: string;
  /** A client pointed at the endpoint: path style, s3rver's dummy credentials, us-east-1 (+ overrides). */
  client(overrides?: Partial<S3ClientConfig>): S3Client;
  /** The next `n` requests answer `status` (500 InternalError or 503 SlowDown) with S3's XML error body. */
  failNext(n: number, status?: 500 | 503): void;
  /** Delay added to every request before it is answered (ms). */
  delayMs: number;
  /** CPU time the s3rver child spent starting (ms): wall time varies with machine load, this does not. */
  readonly startupCpuMs: number;
  /** Every request the proxy received, in order (path includes the query string). */
  readonly requests: { method: string; path: string }[];
  close(): Promise<void>;
}

// s3rver's continuation tokens use DES, which Node >= 17 only has with the legacy OpenSSL provider:
// hence a child process started with --openssl-legacy-provider. It exits when its stdin closes.
const RUNNER = `
const [modulePath, directory, bucket] = process.argv.slice(1);
const S3rver = require(modulePath);
const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
server.run().then(
  (address) => {
    const cpu = process.cpuUsage();
    process.stdout.write(JSON.stringify({ port: address.port, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\\n');
  },
  (err) => { console.error(err); process.exit(1); },
);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

const ERRORS = {
  500: { code: 'InternalError', message: 'We encountered an internal error. Please try again.' },
  503: { code: 'SlowDown', message: 'Please reduce your request rate.' },
} as const;

export const S3_TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

async function waitForReady(child: ChildProcess): Promise<{ port: number; cpuMs: number }> {
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start in 10 s: ${stderr}`)), 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with code ${code}: ${stderr}`));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /\{"port":(\d+),"cpuMs":([\d.]+)\}/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({ port: Number(match[1]), cpuMs: Number(match[2]) });
    });
  });
}

class ProxiedS3Server implements S3TestServer {
  delayMs = 0;
  readonly requests: { method: string; path: string }[] = [];
  private failures = 0;
  private failStatus: 500 | 503 = 500;
  private requestCount = 0;
  endpoint = '';
  private readonly proxy: Server;

  constructor(
    readonly bucket: string,
    readonly startupCpuMs: number,
    private readonly upstreamPort: number,
    private readonly child: ChildProcess,
    readonly dataDir: string,
  ) {
    this.proxy = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => res.destroy(err instanceof Error ? err : undefined));
    });
  }

  async listen(): Promise<void> {
    this.proxy.listen(0, '127.0.0.1');
    await once(this.proxy, 'listening');
    const address = this.proxy.address();
    if (address === null || typeof address === 'string') throw new Error('proxy is not listening on TCP');
    this.endpoint = `http://127.0.0.1:${address.port}`;
  }

  client(overrides: Partial<S3ClientConfig> = {}): S3Client {
    return new S3Client({
      endpoint: this.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: S3_TEST_CREDENTIALS,
      ...overrides,
    });
  }

  failNext(n: number, status: 500 | 503 = 500): void {
    this.failures = n;
    this.failStatus = status;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests.push({ method: req.method ?? 'GET', path: req.url ?? '/' });
    if (this.delayMs > 0) await sleep(this.delayMs);
    if (this.failures > 0) {
      this.failures--;
      await this.fail(req, res, this.failStatus);
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: this.upstreamPort, method: req.method, path: req.url, headers: req.headers },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', (err) => res.destroy(err));
    req.pipe(upstream);
  }

  // Reads the whole request first, as S3 does, so that the client sees the error and not a reset.
  private async fail(req: IncomingMessage, res: ServerResponse, status: 500 | 503): Promise<void> {
    req.resume();
    await once(req, 'end');
    const { code, message } = ERRORS[status];
    const requestId = `FAULT${(++this.requestCount).toString(16).padStart(11, '0')}`.toUpperCase();
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId>` +
      `<HostId>${Buffer.from(requestId).toString('base64')}</HostId></Error>`;
    res.writeHead(status, {
      'content-type': 'application/xml',
      'content-length': Buffer.byteLength(body),
      'x-amz-request-id': requestId,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  async close(): Promise<void> {
    this.proxy.closeAllConnections();
    await new Promise<void>((resolve) => this.proxy.close(() => resolve()));
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = once(this.child, 'exit');
      this.child.kill('SIGTERM');
      await exited;
    }
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Starts s3rver (fresh temp dir, one bucket) and the fault-injecting proxy in front of it. */
export async function startS3Server(options: { bucket?: string } = {}): Promise<S3TestServer> {
  const bucket = options.bucket ?? 'dasboard-test';
  const dir = await mkdtemp(join(tmpdir(), 'dasboard-s3-'));
  const s3rverPath = createRequire(import.meta.url).resolve('s3rver');
  // A clean NODE_OPTIONS: loaders inherited from the test runner would only slow the child down.
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '-e', RUNNER, s3rverPath, dir, bucket],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  try {
    const { port, cpuMs } = await waitForReady(child);
    const server = new ProxiedS3Server(bucket, cpuMs, port, child, dir);
    await server.listen();
    return server;
  } catch (err) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
