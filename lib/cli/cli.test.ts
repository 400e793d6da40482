import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalKeyFile } from '../../ingest/local-key';
import { readActivity } from '../../test/helpers/duckdb';
import { startKmsServer } from '../../test/servers/kms-server';
import { ACTIVITY_COLUMNS } from '../audit/schema';

const run = promisify(execFile);
const BIN = new URL('../../bin/dasboard.mjs', import.meta.url).pathname;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function dasboard(args: string[], env: Record<string, string> = {}, input?: string): Promise<Result> {
  const child = run(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dasboard-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each CLI run starts Node, tsx and worker threads; CI runs test files side by side on 2 cores.
const SLOW = 240_000;
const FROM = '2026-11-01T00:00:00Z';
const TO = '2026-11-03T00:00:00Z';

describe('dasboard CLI arguments', () => {
  it.each([
    [['generate', '--events', 'ten'], /--events must be a positive integer/],
    [['generate', '--format', 'xml'], /argument 'xml' is invalid/],
    [['generate', '--from', 'yesterday'], /--from must be an ISO-8601 date/],
    [['ingest'], /missing required argument 'files'/],
    [['export', 'class:DDL', '--to', TO, '--as-role', 'admin'], /required option '--from <iso>'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j → one clear line and a non-zero exit', async (args, message) => {
    const r = await dasboard(args);

    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('an unreadable input file is one line and exit 2', async () => {
    const r = await dasboard([
      'ingest',
      join(dir, 'missing.json'),
      '--store',
      join(dir, 'x'),
      '--local-key',
      join(dir, 'k.json'),
    ]);

    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('dasboard generate → ingest → export', () => {
  const key = () => join(dir, 'key.json');

  it.each(['firehose', 'kinesis', 'ndjson'] as const)(
    'ingests %s output with the local key: every generated event stored once',
    async (format) => {
      const out = join(dir, `gen-${format}`);
      const store = join(dir, `store-${format}`);
      const gen = await dasboard([
        'generate',
        '--events',
        '2000',
        '--from',
        FROM,
        '--to',
        TO,
        '--format',
        format,
        '--out',
        out,
        '--local-key',
        key(),
        '--seed',
        '5',
        '--events-per-record',
        '20-120',
      ]);
      expect(gen.code).toBe(0);
      const generated = JSON.parse(gen.stdout);
      const files = (await readdir(out)).map((f) => join(out, f));

      const ing = await dasboard(['ingest', ...files, '--store', store, '--local-key', key()]);

      expect(ing.code).toBe(0);
      const summary = JSON.parse(ing.stdout);
      expect(summary.events.stored).toBe(generated.events);
      expect(summary.heartbeats).toBe(generated.heartbeats);
      expect(summary.records.quarantined).toBe(0);
      // At most one unwrap per distinct data key.
      expect(summary.kmsCalls).toBeLessThanOrEqual(generated.dataKeys);
      expect(await readActivity(store)).toHaveLength(generated.events);
    },
    SLOW,
  );

  it(
    'ingests through @aws-sdk/client-kms when AWS_ENDPOINT_URL_KMS points at a KMS-protocol server',
    async () => {
      const out = join(dir, 'gen-kms');
      const store = join(dir, 'store-kms');
      await dasboard([
        'generate',
        '--events',
        '1500',
        '--from',
        FROM,
        '--to',
        TO,
        '--format',
        'ndjson',
        '--out',
        out,
        '--local-key',
        key(),
        '--events-per-record',
        '20-120',
      ]);
      const kms = await startKmsServer(await loadLocalKeyFile(key()));
      try {
        const files = (await readdir(out)).map((f) => join(out, f));
        const ing = await dasboard(['ingest', ...files, '--store', store], {
          AWS_ENDPOINT_URL_KMS: kms.endpoint,
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
        });

        expect(ing.code).toBe(0);
        const summary = JSON.parse(ing.stdout);
        expect(summary.events.stored).toBe(1500);
        expect(kms.requests.filter((r) => r.target === 'TrentService.Decrypt')).toHaveLength(
          summary.kmsCalls,
        );
      } finally {
        await kms.close();
      }
    },
    SLOW,
  );

  it(
    'exports CSV with the storage column names, only what the role may see',
    async () => {
      const store = join(dir, 'store-ndjson');

      const all = await dasboard([
        'export',
        '--from',
        FROM,
        '--to',
        TO,
        '--as-role',
        'auditor',
        '--store',
        store,
      ]);
      const lead = await dasboard([
        'export',
        '--from',
        FROM,
        '--to',
        TO,
        '--as-role',
        'security-lead',
        '--store',
        store,
      ]);

      expect(all.code).toBe(0);
      const header = all.stdout.split('\r\n')[0]?.split(',') ?? [];
      expect(header).toEqual(
        expect.arrayContaining(ACTIVITY_COLUMNS.map((c) => c.name).filter((n) => n !== 'raw')),
      );
      expect(header).toContain('class');
      expect(header).not.toContain('raw');
      const manifest = JSON.parse(all.stderr.trim().split('\n').at(-1) ?? '{}');
      expect(manifest.rowCount).toBe(all.stdout.trimEnd().split('\r\n').length - 1);
      expect(manifest.sha256).toBe(createHash('sha256').update(all.stdout).digest('hex'));
      // security-lead has no export right.
      expect(lead.code).not.toBe(0);
      expect(lead.stdout).toBe('');
    },
    SLOW,
  );

  it(
    'exports the columns asked for, and names a bad one in one line',
    async () => {
      const store = join(dir, 'store-ndjson');
      const args = ['export', '--from', FROM, '--to', TO, '--as-role', 'auditor', '--store', store];
      const picked = await dasboard([...args, '--columns', 'event_id,raw']);
      const bad = await dasboard([...args, '--columns', 'event_id,secret']);

      expect(picked.code).toBe(0);
      const lines = picked.stdout.trimEnd().split('\r\n');
      expect(lines[0]).toBe('event_id,raw');
      expect(lines.length).toBeGreaterThan(1);
      expect(bad.code).not.toBe(0);
      expect(bad.stdout).toBe('');
      expect(bad.stderr.trim()).toMatch(/^dasboard: columns: unknown column "secret" \(columns: event_id, /);
    },
    SLOW,
  );

  it('prints the Athena DDL with partition projection', async () => {
    const r = await dasboard(['athena-ddl', '--location', 's3://audit-bucket/das']);

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/CREATE EXTERNAL TABLE/);
    expect(r.stdout).toMatch(/'projection\.enabled'\s*=\s*'true'/);
    expect(r.stdout).toMatch(/s3:\/\/audit-bucket\/das\/activity\//);
  });

  it('users add reads the password from stdin and refuses a weak one', async () => {
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ roles: {}, users: [] }));

    const ok = await dasboard(
      ['users', 'add', 'dana', '--role', 'auditor', '--config', config],
      {},
      'correct-horse-battery\n',
    );
    const weak = await dasboard(
      ['users', 'add', 'eve', '--role', 'auditor', '--config', config],
      {},
      'short\n',
    );

    expect(ok.code).toBe(0);
    expect(weak.code).not.toBe(0);
    expect(weak.stderr.trim().split('\n')).toHaveLength(1);
  });
});
