import { z } from 'zod';
import { exampleConfig } from './synth';

// The Kinesis-mode test's config: the variants the Firehose test does not cover (an existing VPC,
// an internal load balancer, a store prefix, a bundled config file, two clusters on one DAS key).
export const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';
export const STREAMS = ['aws-rds-das-cluster-AAAA1111', 'aws-rds-das-cluster-BBBB2222'].map((name) => ({
  streamArn: `arn:aws:kinesis:eu-west-1:123456789012:stream/${name}`,
  kmsKeyArn: KEY,
}));

// A dasboard config file (OIDC, filter rules) to bundle: the test writes it under the git-ignored .tmp/.
export const APP_CONFIG = '.tmp/infra-test/dasboard.config.json';
export const APP_CONFIG_TEXT = JSON.stringify({
  roles: {},
  oidc: {
    issuer: 'https://login.example.com/realms/corp',
    clientId: 'dasboard',
    clientSecretEnv: 'OIDC_CLIENT_SECRET',
    groupRoles: { auditors: ['auditor'] },
  },
  filters: [{ name: 'probe-app', clientApplications: ['probe'] }],
});

/** The example config turned into the Kinesis-mode variant. */
export function kinesisVariant(): Record<string, unknown> {
  const base = exampleConfig();
  return {
    ...base,
    appConfigFile: APP_CONFIG,
    streams: STREAMS,
    ingest: { mode: 'kinesis', timeoutSeconds: 120, kinesis: { parallelizationFactor: 2 } },
    storage: { bucketName: 'acme-audit', prefix: 'das/' },
    network: {
      mode: 'existing',
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      publicSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
      privateSubnetIds: ['subnet-0000000000000000c', 'subnet-0000000000000000d'],
    },
    dashboard: {
      ...z.record(z.string(), z.unknown()).parse(base.dashboard),
      internetFacing: false,
      allowedCidrs: ['10.0.0.0/8'],
      deletionProtection: false,
      cpuArchitecture: 'X86_64',
    },
  };
}
