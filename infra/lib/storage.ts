import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACTIVITY_CLASSES, STORE_PREFIX } from '../../lib/audit/schema';
import { type InfraConfig, storeUrl } from './config';
import { createKey } from './keys';
import { acknowledge } from './nag';

/** Athena query results, under the store prefix. */
export const RESULTS_PREFIX = 'results/';

/**
 * The one store bucket (activity/, quarantine/, access-log/, raw/, results/) with its own KMS
 * key, and a separate bucket for S3 server access logs and ALB logs (those deliveries need SSE-S3).
 */
export class Storage extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  readonly logsBucket: s3.Bucket;
  /** DASBOARD_STORE: `s3://bucket[/prefix]`. */
  readonly storeUrl: string;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, cfg: InfraConfig) {
    super(scope, id);
    const st = cfg.storage;
    this.prefix = st.prefix;
    this.storeUrl = storeUrl(cfg);
    this.key = createKey(this, 'Key', {
      description: `dasboard store ${st.bucketName}: audit events, quarantine, access log, Athena results`,
      alias: `alias/${cfg.stackName.toLowerCase()}-store`,
      usage: ['kms:Decrypt', 'kms:GenerateDataKey'],
    });

    this.logsBucket = new s3.Bucket(this, 'Logs', {
      bucketName: `${st.bucketName}-logs`,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-logs',
          expiration: Duration.days(st.serverAccessLogDays),
          noncurrentVersionExpiration: Duration.days(st.noncurrentDays),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    acknowledge(
      this.logsBucket,
      'AwsSolutions-S1',
      'This is the access-log bucket itself; logging it into itself would loop. CloudTrail covers its API use.',
    );

    this.bucket = new s3.Bucket(this, 'Store', {
      bucketName: st.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      // One data key per bucket instead of per object: KMS requests drop by orders of magnitude.
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: st.serverAccessLogs ? this.logsBucket : undefined,
      serverAccessLogsPrefix: st.serverAccessLogs ? 's3-access/' : undefined,
      lifecycleRules: this.lifecycleRules(cfg),
    });
    if (!st.serverAccessLogs) {
      acknowledge(
        this.bucket,
        'AwsSolutions-S1',
        'Server access logging was turned off in the deployment config (storage.serverAccessLogs=false).',
      );
    }
  }

  private lifecycleRules(cfg: InfraConfig): s3.LifecycleRule[] {
    const st = cfg.storage;
    const rule = (id: string, sub: string, days: number): s3.LifecycleRule => ({
      id,
      prefix: `${this.prefix}${sub}`,
      expiration: Duration.days(days),
      noncurrentVersionExpiration: Duration.days(st.noncurrentDays),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    });
    return [
      ...ACTIVITY_CLASSES.map((c) =>
        rule(`activity-${c}`, `${STORE_PREFIX.activity}class=${c}/`, st.retention[c]),
      ),
      rule('quarantine', STORE_PREFIX.quarantine, st.quarantineDays),
      rule('raw', STORE_PREFIX.raw, st.rawDays),
      rule('access-log', STORE_PREFIX.accessLog, st.accessLogDays),
      rule('results', RESULTS_PREFIX, st.resultsDays),
    ];
  }

  /** Key prefix inside the bucket for a store sub-prefix (`activity/` → `prefix/activity/`). */
  keyPrefix(sub: string): string {
    return `${this.prefix}${sub}`;
  }

  /** ARN of every object under a store sub-prefix. */
  objectsArn(sub: string): string {
    return `${this.bucket.bucketArn}/${this.keyPrefix(sub)}*`;
  }

  /** `s3://bucket/prefix/<sub>` */
  url(sub: string): string {
    return `${this.storeUrl}/${sub}`;
  }

  /** Limits a KMS grant to S3 acting for the principal (SSE-KMS reads and writes). */
  viaS3Condition(): Record<string, Record<string, string>> {
    return { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } };
  }
}
