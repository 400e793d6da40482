import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { STORE_PREFIX } from '../../lib/audit/schema';
import { acknowledgeWildcardResources } from './nag';
import type { Query } from './query';
import { RESULTS_PREFIX, type Storage } from './storage';

/**
 * The dashboard task's role: Athena on its workgroup only; Glue read on the one table; S3 read
 * of activity/ (and the access log it shows), write of access-log/; Athena results under results/.
 */
export function createDashboardTaskRole(scope: Construct, storage: Storage, query: Query): iam.Role {
  const stack = Stack.of(scope);
  const read = [STORE_PREFIX.activity, STORE_PREFIX.accessLog, RESULTS_PREFIX];
  const write = [STORE_PREFIX.accessLog, RESULTS_PREFIX];
  const statements = [
    new iam.PolicyStatement({
      sid: 'Athena',
      actions: [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
        'athena:GetWorkGroup',
      ],
      resources: [query.workgroupArn()],
    }),
    new iam.PolicyStatement({
      sid: 'GlueRead',
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
      resources: query.glueArns(),
    }),
    new iam.PolicyStatement({
      sid: 'Bucket',
      actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
      resources: [storage.bucket.bucketArn],
    }),
    new iam.PolicyStatement({
      sid: 'ListOwnPrefixes',
      actions: ['s3:ListBucket'],
      resources: [storage.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': read.map((p) => `${storage.keyPrefix(p)}*`) } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadObjects',
      actions: ['s3:GetObject'],
      resources: read.map((p) => storage.objectsArn(p)),
    }),
    new iam.PolicyStatement({
      sid: 'WriteObjects',
      actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: write.map((p) => storage.objectsArn(p)),
    }),
    new iam.PolicyStatement({
      sid: 'StoreKey',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [storage.key.keyArn],
      conditions: storage.viaS3Condition(),
    }),
  ];
  const role = new iam.Role(scope, 'TaskRole', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:*` },
      },
    }),
    description: 'dasboard dashboard: Athena on its workgroup, read activity/, write access-log/',
    inlinePolicies: { dashboard: new iam.PolicyDocument({ statements }) },
  });
  acknowledgeWildcardResources(
    role,
    [...read, ...write].map((p) => storage.objectsArn(p)),
    'Objects under the store prefixes the dashboard reads (activity/, access-log/, results/) or writes (access-log/, results/); keys are not known in advance.',
  );
  return role;
}
