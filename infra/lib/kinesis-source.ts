import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { InfraConfig } from './config';
import { acknowledge } from './nag';

/**
 * The alternative to Firehose: the ingest Lambda reads each DAS stream through an event source
 * mapping that bisects failing batches, honours partial batch responses and sends what it
 * finally gives up on to an on-failure queue.
 */
export class KinesisSource extends Construct {
  readonly failureQueue: sqs.Queue;
  readonly mappings: lambda.EventSourceMapping[] = [];

  constructor(scope: Construct, id: string, cfg: InfraConfig, fn: lambda.IFunction, role: iam.Role) {
    super(scope, id);
    const k = cfg.ingest.kinesis;
    // Holds only batch metadata (shard, sequence numbers), never record data: SQS-managed SSE fits.
    this.failureQueue = new sqs.Queue(this, 'OnFailure', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.failureQueue,
      'AwsSolutions-SQS3',
      'This queue is itself the on-failure destination of the event source mappings (their dead letters).',
    );

    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadDasStreams',
        actions: [
          'kinesis:DescribeStream',
          'kinesis:DescribeStreamSummary',
          'kinesis:GetRecords',
          'kinesis:GetShardIterator',
          'kinesis:ListShards',
          'kinesis:SubscribeToShard',
        ],
        resources: cfg.streams.map((s) => s.streamArn),
      }),
    );

    const onFailure = new SqsDlq(this.failureQueue);
    cfg.streams.forEach((s, i) => {
      const mapping = new lambda.EventSourceMapping(this, `Mapping${i}`, {
        target: fn,
        eventSourceArn: s.streamArn,
        startingPosition: lambda.StartingPosition[k.startingPosition],
        batchSize: k.batchSize,
        maxBatchingWindow: Duration.seconds(k.maxBatchingWindowSeconds),
        parallelizationFactor: k.parallelizationFactor,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: k.retryAttempts,
        maxRecordAge: Duration.seconds(k.maxRecordAgeSeconds),
        onFailure,
      });
      // Lambda checks the role's Kinesis permissions when the mapping is created.
      mapping.node.addDependency(role);
      this.mappings.push(mapping);
    });
  }
}
