import { z } from 'zod';
import { type ActivityClass, activityClassSchema } from '../../lib/audit/schema';

/** Sections of the deployment config (see config.ts for the whole and the derived values). */

export const days = z.number().int().min(1).max(36_500);
const awsPartition = 'aws(?:-cn|-us-gov|-iso[a-z-]*)?';
export const streamArnRe = new RegExp(
  `^arn:${awsPartition}:kinesis:([a-z0-9-]+):(\\d{12}):stream/([A-Za-z0-9_.-]{1,128})$`,
);
const keyArnRe = new RegExp(`^arn:${awsPartition}:kms:([a-z0-9-]+):(\\d{12}):key/[A-Za-z0-9-]+$`);
const secretArnRe = new RegExp(
  `^arn:${awsPartition}:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$`,
);
const certificateArnRe = new RegExp(`^arn:${awsPartition}:acm:[a-z0-9-]+:\\d{12}:certificate/[A-Za-z0-9-]+$`);
/** RDS names the stream `aws-rds-das-<resource-id>` (das-format.md §1.1). */
export const DAS_STREAM_NAME = /^aws-rds-das-((?:cluster|db)-[A-Za-z0-9]+)$/;
const resourceIdSchema = z
  .string()
  .regex(/^(cluster|db)-[A-Za-z0-9]+$/, 'a DAS resource id: cluster-… or db-…');

/** Retention in days per activity class when the config names none (architecture: DDL/DCL for years). */
export const DEFAULT_RETENTION_DAYS: Record<ActivityClass, number> = {
  DDL: 2555,
  DCL: 2555,
  AUTH_FAILURE: 2555,
  CONNECT: 365,
  DISCONNECT: 365,
  DML: 365,
  ERROR: 365,
  DQL: 30,
  TCL: 30,
  OTHER: 90,
};

export const streamSchema = z
  .object({
    streamArn: z
      .string()
      .regex(streamArnRe, 'a Kinesis stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>)'),
    kmsKeyArn: z
      .string()
      .regex(keyArnRe, 'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias'),
    /** Only when the stream name is not `aws-rds-das-<resource-id>` (then it becomes DAS_RESOURCE_ID). */
    resourceId: resourceIdSchema.optional(),
  })
  .strict();

export const newVpcSchema = z
  .object({
    mode: z.literal('new'),
    cidr: z
      .string()
      .regex(/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/, 'an IPv4 CIDR /16-/24')
      .default('10.40.0.0/16'),
    /** Explicit zones keep synth offline (no availability-zone lookup). */
    availabilityZones: z
      .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/))
      .min(2)
      .max(3),
    natGateways: z.number().int().min(1).max(3).default(1),
  })
  .strict();

export const existingVpcSchema = z
  .object({
    mode: z.literal('existing'),
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/),
    availabilityZones: z
      .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/))
      .min(2)
      .max(6),
    /** One per zone, in zone order: the load balancer's subnets. */
    publicSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/)).min(2),
    /** One per zone, in zone order, with a route to the internet (NAT): the tasks' subnets. */
    privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/)).min(2),
  })
  .strict()
  .refine((v) => v.publicSubnetIds.length === v.availabilityZones.length, {
    message: 'give one public subnet per availability zone, in the same order',
    path: ['publicSubnetIds'],
  })
  .refine((v) => v.privateSubnetIds.length === v.availabilityZones.length, {
    message: 'give one private subnet per availability zone, in the same order',
    path: ['privateSubnetIds'],
  });

export const ingestSchema = z
  .object({
    mode: z.enum(['firehose', 'kinesis']).default('firehose'),
    // Defaults sized from the ingest benchmark (bench/): ~5-7 ms per record of CPU-bound ESDK work.
    memoryMiB: z.number().int().min(128).max(10_240).default(1024),
    timeoutSeconds: z.number().int().min(10).max(900).default(300),
    reservedConcurrency: z.number().int().min(1).optional(),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    logRetentionDays: z.number().int().default(90),
    /** Firehose mode: keep Firehose's copy of the still-encrypted records under raw/ (for replay). */
    rawArchive: z.boolean().default(true),
    firehose: z
      .object({
        // The transform response echoes the records; 3 MB in stays well under Lambda's 6 MB cap.
        processorBufferMiB: z.number().min(0.2).max(3).default(1),
        processorBufferSeconds: z.number().int().min(0).max(900).default(60),
        processorRetries: z.number().int().min(0).max(300).default(3),
        rawBufferMiB: z.number().int().min(1).max(128).default(64),
        rawBufferSeconds: z.number().int().min(0).max(900).default(300),
      })
      .strict()
      .prefault({}),
    kinesis: z
      .object({
        batchSize: z.number().int().min(1).max(10_000).default(100),
        maxBatchingWindowSeconds: z.number().int().min(0).max(300).default(5),
        parallelizationFactor: z.number().int().min(1).max(10).default(1),
        retryAttempts: z.number().int().min(0).max(10_000).default(10),
        maxRecordAgeSeconds: z.number().int().min(60).max(604_800).default(86_400),
        startingPosition: z.enum(['TRIM_HORIZON', 'LATEST']).default('TRIM_HORIZON'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .refine((v) => v.mode !== 'firehose' || v.timeoutSeconds <= 300, {
    message: 'a Firehose transform invocation may run at most 300 s',
    path: ['timeoutSeconds'],
  });

export const storageSchema = z
  .object({
    /** Default: `<stack name>-<account>-<region>` (lower case). */
    bucketName: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,56}[a-z0-9]$/,
        'an S3 bucket name of at most 58 characters (-logs is appended)',
      )
      .optional(),
    /** Store prefix inside the bucket: '' or `segment/…/` (ends with a slash). */
    prefix: z
      .string()
      .regex(/^([a-z0-9][a-z0-9._-]*\/)*$/, "'' or lower-case path segments each ending in '/'")
      .default(''),
    retentionDays: z.partialRecord(activityClassSchema, days).default({}),
    quarantineDays: days.default(365),
    rawDays: days.default(90),
    accessLogDays: days.default(2555),
    resultsDays: days.default(7),
    noncurrentDays: days.default(30),
    serverAccessLogs: z.boolean().default(true),
    serverAccessLogDays: days.default(365),
  })
  .strict();

export const querySchema = z
  .object({
    databaseName: z
      .string()
      .regex(/^[a-z0-9_]{1,255}$/)
      .default('dasboard'),
    tableName: z
      .string()
      .regex(/^[a-z0-9_]{1,255}$/)
      .default('activity'),
    workgroupName: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,128}$/)
      .default('dasboard'),
    /** Athena cancels any query that would scan more (minimum 10 MB). */
    bytesScannedCutoffPerQuery: z.number().int().min(10_000_000).default(10_737_418_240),
    projectionStartDate: z.iso.date().default('2024-01-01'),
  })
  .strict();

export const dashboardSchema = z
  .object({
    certificateArn: z.string().regex(certificateArnRe, 'an ACM certificate ARN in the stack region'),
    /** Public host name of the dashboard (the certificate must cover it). */
    domainName: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/),
    /** Optional Route 53 zone to create the alias record in. */
    hostedZone: z
      .object({ id: z.string().regex(/^Z[A-Z0-9]{1,31}$/), name: z.string().min(3) })
      .strict()
      .optional(),
    oidc: z
      .object({
        issuer: z.url(),
        clientId: z.string().min(1),
        /** Secrets Manager secret holding the client secret (complete ARN, with its 6-character suffix). */
        clientSecretArn: z
          .string()
          .regex(secretArnRe, 'a complete Secrets Manager secret ARN (…:secret:name-AbCdEf)'),
        clientSecretJsonField: z.string().min(1).optional(),
      })
      .strict(),
    /** Session-signing secret; generated by the stack when absent. */
    sessionSecretArn: z.string().regex(secretArnRe).optional(),
    cpu: z
      .union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)])
      .default(512),
    memoryMiB: z.number().int().min(512).max(30_720).default(1024),
    desiredCount: z.number().int().min(1).max(10).default(2),
    cpuArchitecture: z.enum(['ARM64', 'X86_64']).default('ARM64'),
    internetFacing: z.boolean().default(true),
    allowedCidrs: z
      .array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/))
      .min(1)
      .default(['0.0.0.0/0']),
    deletionProtection: z.boolean().default(true),
    healthCheckPath: z.string().startsWith('/').default('/api/health'),
    logRetentionDays: z.number().int().default(90),
  })
  .strict();

export const alarmsSchema = z
  .object({
    emails: z.array(z.email()).default([]),
    iteratorAgeMinutes: z.number().int().min(1).default(10),
    quarantinedRecordsThreshold: z.number().int().min(1).default(1),
    /** Cancelled Athena queries per hour (bytes-scanned cut-offs, and queries the dashboard stopped). */
    cancelledQueriesPerHour: z.number().int().min(1).default(3),
    /** Bytes the workgroup may scan per day before the usage alarm fires. */
    dailyBytesScanned: z.number().int().min(1).default(107_374_182_400),
  })
  .strict();
