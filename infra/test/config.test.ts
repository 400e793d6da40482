import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAppConfig } from '../lib/app-config';
import { DEFAULT_RETENTION_DAYS, InfraConfigError, parseInfraConfig, storeUrl } from '../lib/config';
import { rawConfigFromContext } from '../lib/context';
import { dasDecryptStatements } from '../lib/ingest';
import { exampleConfig } from './synth';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const stream = (name: string, extra: Record<string, unknown> = {}) => ({
  streamArn: `arn:aws:kinesis:eu-west-1:123456789012:stream/${name}`,
  kmsKeyArn: KEY,
  ...extra,
});
const withStreams = (streams: unknown[]) => ({ ...exampleConfig(), streams });

function errorOf(input: unknown): string {
  try {
    parseInfraConfig(input);
  } catch (err) {
    if (err instanceof InfraConfigError) return err.message;
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseInfraConfig', () => {
  it('derives resource ids and encryption-context keys from the DAS stream names', () => {
    // Prepare
    const raw = withStreams([stream('aws-rds-das-cluster-ABC123'), stream('aws-rds-das-db-XYZ789')]);
    // Act
    const cfg = parseInfraConfig(raw);
    // Assess
    expect(cfg.streams.map((s) => [s.resourceId, s.contextKey, s.isOverride])).toEqual([
      ['cluster-ABC123', 'aws:rds:dbc-id', false],
      ['db-XYZ789', 'aws:rds:db-id', false],
    ]);
  });

  it('fills defaults: bucket name from stack, account and region; retention per class', () => {
    const cfg = parseInfraConfig({ ...exampleConfig(), storage: { retentionDays: { DQL: 7 } } });
    expect(cfg.storage.bucketName).toBe('dasboard-123456789012-eu-west-1');
    expect(cfg.storage.retention).toEqual({ ...DEFAULT_RETENTION_DAYS, DQL: 7 });
    expect(storeUrl(cfg)).toBe('s3://dasboard-123456789012-eu-west-1');
    expect(cfg.ingest.firehose.processorBufferMiB).toBe(1);
  });

  it('puts the store prefix in DASBOARD_STORE without a trailing slash', () => {
    const cfg = parseInfraConfig({
      ...exampleConfig(),
      storage: { bucketName: 'audit-bucket', prefix: 'das/prod/' },
    });
    expect(storeUrl(cfg)).toBe('s3://audit-bucket/das/prod');
  });

  it('rejects a stream that is not named aws-rds-das-<id> unless its resourceId is given', () => {
    expect(errorOf(withStreams([stream('my-copy')]))).toContain('streams.0.resourceId');
    const cfg = parseInfraConfig(withStreams([stream('my-copy', { resourceId: 'cluster-ABC' })]));
    expect(cfg.streams[0]).toMatchObject({ resourceId: 'cluster-ABC', isOverride: true });
  });

  it('refuses a resourceId override when several streams share the function', () => {
    const message = errorOf(withStreams([stream('x', { resourceId: 'db-A1' }), stream('aws-rds-das-db-B2')]));
    expect(message).toContain('streams.0.resourceId: a resourceId override');
  });

  it('names each bad field with its path', () => {
    const message = errorOf(
      withStreams([
        {
          streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/aws-rds-das-db-A1',
          kmsKeyArn: 'alias/das',
        },
      ]),
    );
    expect(message).toContain('streams.0.kmsKeyArn: a KMS key ARN');
    expect(message).toContain("streams.0.streamArn: the stream must be in the stack's account and region");
  });

  it('caps the Firehose transform timeout at 300 s and its buffer at 3 MB', () => {
    const message = errorOf({
      ...exampleConfig(),
      ingest: { mode: 'firehose', timeoutSeconds: 600, firehose: { processorBufferMiB: 4 } },
    });
    expect(message).toContain('ingest.timeoutSeconds: a Firehose transform invocation may run at most 300 s');
    expect(message).toContain('ingest.firehose.processorBufferMiB');
  });

  it('keeps the dasboard config file out of infra/, which the image build does not see', () => {
    expect(errorOf({ ...exampleConfig(), appConfigFile: 'infra/dasboard.config.json' })).toContain(
      'appConfigFile: keep it inside the repo and outside infra/',
    );
  });

  it('requires one subnet per zone for an existing VPC', () => {
    const message = errorOf({
      ...exampleConfig(),
      network: {
        mode: 'existing',
        vpcId: 'vpc-0123456789abcdef0',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        publicSubnetIds: ['subnet-0123456789abcdef0'],
        privateSubnetIds: ['subnet-0123456789abcdef1', 'subnet-0123456789abcdef2'],
      },
    });
    expect(message).toContain('network.publicSubnetIds: give one public subnet per availability zone');
  });
});

describe('rawConfigFromContext', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dasboard-ctx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('asks for -c config when none is given', () => {
    expect(() => rawConfigFromContext(() => undefined, dir)).toThrow(/pass -c config=/);
  });

  it('reads the file relative to the working directory and applies -c overrides on top', () => {
    writeFileSync(join(dir, 'c.json'), JSON.stringify(exampleConfig()));
    const context: Record<string, string> = {
      config: 'c.json',
      ingestMode: 'kinesis',
      storePrefix: 'audit/',
    };
    const cfg = parseInfraConfig(rawConfigFromContext((k) => context[k], dir));
    expect(cfg.ingest.mode).toBe('kinesis');
    expect(cfg.storage.prefix).toBe('audit/');
    expect(cfg.ingest.memoryMiB).toBe(1024);
  });

  it('reports a file that is not JSON', () => {
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(() => rawConfigFromContext((k) => (k === 'config' ? 'bad.json' : undefined), dir)).toThrow(
      /is not valid JSON/,
    );
  });
});

describe('dasDecryptStatements', () => {
  it('groups resource ids per key and context key, one condition value per stream', () => {
    const cfg = parseInfraConfig(
      withStreams([
        stream('aws-rds-das-cluster-B'),
        stream('aws-rds-das-cluster-A'),
        stream('aws-rds-das-db-C'),
      ]),
    );
    const json = dasDecryptStatements(cfg.streams).map((s) => s.toStatementJson());
    expect(json).toEqual([
      {
        Sid: 'DecryptDasDataKeys0',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: KEY,
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:rds:dbc-id': ['cluster-A', 'cluster-B'] } },
      },
      {
        Sid: 'DecryptDasDataKeys1',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: KEY,
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:rds:db-id': ['db-C'] } },
      },
    ]);
  });
});

describe('checkAppConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dasboard-app-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const oidc = {
    issuer: 'https://login.example.com/realms/corp',
    clientId: 'dasboard',
    clientSecretEnv: 'OIDC_CLIENT_SECRET',
    groupRoles: { auditors: ['auditor'] },
  };
  const check = (appConfig: unknown) => {
    writeFileSync(join(dir, 'dasboard.config.json'), JSON.stringify(appConfig));
    const cfg = parseInfraConfig({ ...exampleConfig(), appConfigFile: 'dasboard.config.json' });
    return () => checkAppConfig(dir, cfg);
  };

  it('accepts a config file whose OIDC section matches the deployment', () => {
    expect(check({ roles: {}, oidc })).not.toThrow();
  });

  it('stops synth when issuer, client or secret variable disagree', () => {
    expect(
      check({ roles: {}, oidc: { ...oidc, issuer: 'https://other.example.com', clientSecretEnv: 'X' } }),
    ).toThrow(
      /oidc\.issuer is https:\/\/other\.example\.com, the deployment says https:\/\/login\.example\.com\/realms\/corp\n {2}oidc\.clientSecretEnv must be "OIDC_CLIENT_SECRET"/,
    );
    expect(check({ roles: {} })).toThrow(/it has no oidc section/);
  });

  it('reports a file that is not a dasboard config', () => {
    expect(check({ roles: {}, oidc, extra: true })).toThrow(/is not a valid dasboard config/);
  });
});
