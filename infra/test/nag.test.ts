import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { acknowledge, acknowledgeWildcardResources, applyNagChecks } from '../lib/nag';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tinyStack(): { app: App; stack: Stack; bucket: s3.Bucket } {
  const outdir = mkdtempSync(join(tmpdir(), 'dasboard-nag-'));
  dirs.push(outdir);
  // No builtin CloudFormation validation: these tests are about cdk-nag alone.
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'eu-west-1' } });
  const bucket = new s3.Bucket(stack, 'Bucket', {
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
  });
  acknowledge(
    bucket,
    'AwsSolutions-S1',
    'A test bucket without server access logs, on purpose, for this test.',
  );
  applyNagChecks(app);
  return { app, stack, bucket };
}

function writerRole(stack: Stack, bucket: s3.Bucket): iam.Role {
  return new iam.Role(stack, 'Writer', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    inlinePolicies: {
      write: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            actions: ['s3:PutObject'],
            resources: [`${bucket.bucketArn}/activity/*`],
          }),
        ],
      }),
    },
  });
}

describe('applyNagChecks', () => {
  it('fails synthesis on an unacknowledged AwsSolutions finding', () => {
    const { app, stack, bucket } = tinyStack();
    writerRole(stack, bucket);
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });

  it('accepts the object-key wildcard once acknowledgeWildcardResources names it as cdk-nag does', () => {
    const { app, stack, bucket } = tinyStack();
    const role = writerRole(stack, bucket);
    acknowledgeWildcardResources(
      role,
      [`${bucket.bucketArn}/activity/*`],
      'Objects under activity/, for this test.',
    );
    expect(() => app.synth()).not.toThrow();
  });
});
