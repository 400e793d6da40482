import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { STORE_PREFIX } from '../../lib/audit/schema';
import type { DasStream, InfraConfig } from './config';
import { acknowledge, acknowledgeWildcardResources } from './nag';
import type { Storage } from './storage';

export interface DeliveryStreamInfo {
  stream: DasStream;
  /** Delivery stream name (a token). */
  name: string;
}

/** `raw/<resource-id>/` under the store prefix: Firehose's own copy of the encrypted records. */
export function rawPrefix(stream: DasStream): string {
  return `${STORE_PREFIX.raw}${stream.resourceId}/`;
}

/**
 * One Firehose delivery stream per DAS stream: Kinesis source, the ingest Lambda as processor,
 * the store bucket under raw/ as destination (records stay DAS-encrypted, so no compression).
 */
export class FirehoseDelivery extends Construct {
  readonly deliveryStreams: DeliveryStreamInfo[] = [];

  constructor(scope: Construct, id: string, cfg: InfraConfig, storage: Storage, fn: lambda.IFunction) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: cfg.ingest.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    cfg.streams.forEach((stream, i) => {
      this.deliveryStreams.push(this.deliveryStream(`Stream${i}`, cfg, stream, storage, fn, logGroup));
    });
  }

  private deliveryStream(
    id: string,
    cfg: InfraConfig,
    stream: DasStream,
    storage: Storage,
    fn: lambda.IFunction,
    logGroup: logs.LogGroup,
  ): DeliveryStreamInfo {
    const scope = new Construct(this, id);
    const fh = cfg.ingest.firehose;
    const raw = rawPrefix(stream);
    const logStream = new logs.LogStream(scope, 'LogStream', {
      logGroup,
      logStreamName: `${stream.resourceId}-delivery`,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = this.role(scope, stream, storage, fn, logGroup, raw);
    const delivery = new firehose.CfnDeliveryStream(scope, 'DeliveryStream', {
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: { kinesisStreamArn: stream.streamArn, roleArn: role.roleArn },
      extendedS3DestinationConfiguration: {
        bucketArn: storage.bucket.bucketArn,
        roleArn: role.roleArn,
        prefix: `${storage.keyPrefix(raw)}data/dt=!{timestamp:yyyy-MM-dd}/`,
        errorOutputPrefix: `${storage.keyPrefix(raw)}errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`,
        bufferingHints: { sizeInMBs: fh.rawBufferMiB, intervalInSeconds: fh.rawBufferSeconds },
        compressionFormat: 'UNCOMPRESSED',
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: storage.key.keyArn } },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: logGroup.logGroupName,
          logStreamName: logStream.logStreamName,
        },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'Lambda',
              parameters: [
                { parameterName: 'LambdaArn', parameterValue: fn.functionArn },
                // The response echoes each record: this buffer bounds it far below Lambda's 6 MB.
                { parameterName: 'BufferSizeInMBs', parameterValue: String(fh.processorBufferMiB) },
                {
                  parameterName: 'BufferIntervalInSeconds',
                  parameterValue: String(fh.processorBufferSeconds),
                },
                { parameterName: 'NumberOfRetries', parameterValue: String(fh.processorRetries) },
              ],
            },
          ],
        },
        s3BackupMode: 'Disabled',
      },
    });
    // Firehose checks its role when the stream is created: the policy must exist first.
    delivery.node.addDependency(role);
    acknowledge(
      delivery,
      'AwsSolutions-KDF1',
      'Firehose cannot encrypt a delivery stream whose source is a Kinesis stream; the records are DAS-encrypted end to end and land SSE-KMS in S3.',
    );
    return { stream, name: delivery.ref };
  }

  private role(
    scope: Construct,
    stream: DasStream,
    storage: Storage,
    fn: lambda.IFunction,
    logGroup: logs.LogGroup,
    raw: string,
  ): iam.Role {
    const account = Stack.of(this).account;
    const objects = storage.objectsArn(raw);
    const role = new iam.Role(scope, 'Role', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': account } },
      }),
      description: `dasboard Firehose for ${stream.streamName}: read the stream, invoke the ingest, write raw/`,
      inlinePolicies: {
        delivery: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'ReadSource',
              actions: [
                'kinesis:DescribeStream',
                'kinesis:GetShardIterator',
                'kinesis:GetRecords',
                'kinesis:ListShards',
              ],
              resources: [stream.streamArn],
            }),
            new iam.PolicyStatement({
              sid: 'Transform',
              actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
              resources: [fn.functionArn],
            }),
            new iam.PolicyStatement({
              sid: 'Bucket',
              actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
              resources: [storage.bucket.bucketArn],
            }),
            new iam.PolicyStatement({
              sid: 'WriteRaw',
              actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
              resources: [objects],
            }),
            new iam.PolicyStatement({
              sid: 'StoreKey',
              actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
              resources: [storage.key.keyArn],
              conditions: storage.viaS3Condition(),
            }),
            new iam.PolicyStatement({
              sid: 'Logs',
              actions: ['logs:PutLogEvents'],
              resources: [logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });
    acknowledgeWildcardResources(
      role,
      [objects],
      'Firehose writes new objects under this stream’s raw/<resource-id>/ prefix only; their keys are not known in advance.',
    );
    return role;
  }
}
