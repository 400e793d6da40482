import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { AthenaCancellations } from './athena-events';
import type { InfraConfig } from './config';
import type { Dashboard } from './dashboard';
import type { DeliveryStreamInfo } from './firehose';
import type { IngestFunction } from './ingest';
import { createKey } from './keys';
import type { KinesisSource } from './kinesis-source';
import type { Query } from './query';

/** The ingest's Powertools metrics (ingest/powertools.ts): namespace, and its `service` dimension. */
export const INGEST_METRICS = {
  namespace: 'dasboard',
  service: 'ingest',
  quarantined: 'RecordsQuarantined',
} as const;

export interface AlarmSources {
  ingest: IngestFunction;
  deliveryStreams: DeliveryStreamInfo[];
  kinesis?: KinesisSource;
  query: Query;
  dashboard: Dashboard;
}

const FIVE_MINUTES = Duration.minutes(5);

/** CloudWatch alarms on the whole pipeline, all notifying one encrypted SNS topic. */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, cfg: InfraConfig, src: AlarmSources) {
    super(scope, id);
    const key = createKey(this, 'Key', {
      description: 'dasboard alarm notifications',
      alias: `alias/${cfg.stackName.toLowerCase()}-alarms`,
      usage: ['kms:Decrypt', 'kms:GenerateDataKey'],
      // CloudWatch publishes alarm state changes to the encrypted topic.
      services: [{ principal: 'cloudwatch.amazonaws.com', actions: ['kms:Decrypt', 'kms:GenerateDataKey'] }],
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'dasboard alarms',
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.applyRemovalPolicy(RemovalPolicy.DESTROY);
    // The TLS-only topic policy replaces SNS's default one: let this account's alarms publish.
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
          },
        },
      }),
    );
    for (const email of cfg.alarms.emails)
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    this.action = new SnsAction(this.topic);

    this.ingestAlarms(cfg, src);
    this.athenaAlarms(cfg, src.query);
    this.dashboardAlarms(src.dashboard);
  }

  private ingestAlarms(cfg: InfraConfig, src: AlarmSources): void {
    const fn = src.ingest.fn;
    this.add(
      'IngestErrors',
      'Ingest Lambda invocations failed',
      fn.metricErrors({ period: FIVE_MINUTES }),
      1,
    );
    this.add(
      'IngestThrottles',
      'Ingest Lambda was throttled',
      fn.metricThrottles({ period: FIVE_MINUTES }),
      1,
    );
    const quarantined = new cloudwatch.Metric({
      namespace: INGEST_METRICS.namespace,
      metricName: INGEST_METRICS.quarantined,
      dimensionsMap: { service: INGEST_METRICS.service },
      statistic: 'Sum',
      period: FIVE_MINUTES,
    });
    this.add(
      'RecordsQuarantined',
      'Records were written to quarantine/',
      quarantined,
      cfg.alarms.quarantinedRecordsThreshold,
    );
    const ageMs = cfg.alarms.iteratorAgeMinutes * 60_000;

    for (const { stream, name } of src.deliveryStreams) {
      const metric = (metricName: string, statistic: string) =>
        new cloudwatch.Metric({
          namespace: 'AWS/Firehose',
          metricName,
          dimensionsMap: { DeliveryStreamName: name },
          statistic,
          period: FIVE_MINUTES,
        });
      const rid = stream.resourceId;
      // How far Firehose's read of the Kinesis source lags: its iterator age on that stream.
      this.add(
        `SourceLag-${rid}`,
        `Firehose lags ${stream.streamName}`,
        metric('KinesisMillisBehindLatest', 'Maximum'),
        ageMs,
      );
      this.add(
        `Freshness-${rid}`,
        `Oldest record not yet in S3 (${rid})`,
        metric('DeliveryToS3.DataFreshness', 'Maximum'),
        ageMs / 1000,
      );
      this.addBelow(
        `Transform-${rid}`,
        `Ingest transform failures (${rid})`,
        metric('ExecuteProcessing.Success', 'Average'),
        1,
      );
      this.addBelow(
        `RawDelivery-${rid}`,
        `raw/ delivery failures (${rid})`,
        metric('DeliveryToS3.Success', 'Average'),
        1,
      );
    }

    if (src.kinesis) {
      this.add(
        'IteratorAge',
        'Ingest Lambda lags its streams',
        fn.metric('IteratorAge', { statistic: 'Maximum', period: FIVE_MINUTES }),
        ageMs,
      );
      for (const stream of cfg.streams) {
        const age = new cloudwatch.Metric({
          namespace: 'AWS/Kinesis',
          metricName: 'GetRecords.IteratorAgeMilliseconds',
          dimensionsMap: { StreamName: stream.streamName },
          statistic: 'Maximum',
          period: FIVE_MINUTES,
        });
        this.add(`StreamIteratorAge-${stream.resourceId}`, `Readers lag ${stream.streamName}`, age, ageMs);
      }
      const failed = src.kinesis.failureQueue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: 'Maximum',
      });
      this.add('OnFailure', 'Batches given up on (on-failure queue)', failed, 1);
    }
  }

  private athenaAlarms(cfg: InfraConfig, query: Query): void {
    // Athena has no "cut-off exceeded" metric: a cut-off ends the query as CANCELLED, which
    // EventBridge reports; queries the dashboard stops itself are counted too.
    const cancellations = new AthenaCancellations(this, 'AthenaCancellations', cfg, query.workgroupName);
    this.add(
      'AthenaCancelled',
      'Athena queries cancelled (bytes-scanned cut-off or stopped)',
      cancellations.metric(),
      cfg.alarms.cancelledQueriesPerHour,
    );
    const scanned = new cloudwatch.Metric({
      namespace: 'AWS/Athena',
      metricName: 'ProcessedBytes',
      dimensionsMap: { WorkGroup: query.workgroupName },
      statistic: 'Sum',
      period: Duration.days(1),
    });
    this.add(
      'AthenaDailyBytes',
      'Bytes scanned by the workgroup today',
      scanned,
      cfg.alarms.dailyBytesScanned,
    );
  }

  private dashboardAlarms(dashboard: Dashboard): void {
    const tg = dashboard.targetGroup.metrics;
    this.add(
      'DashboardUnhealthy',
      'Dashboard tasks failing health checks',
      tg.unhealthyHostCount({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      1,
    );
    this.add(
      'Dashboard5xx',
      'Dashboard answered 5xx',
      tg.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: FIVE_MINUTES }),
      5,
    );
  }

  private add(id: string, description: string, metric: cloudwatch.IMetric, threshold: number): void {
    this.push(
      id,
      description,
      metric,
      threshold,
      cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    );
  }

  private addBelow(id: string, description: string, metric: cloudwatch.IMetric, threshold: number): void {
    this.push(id, description, metric, threshold, cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD);
  }

  private push(
    id: string,
    description: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    op: cloudwatch.ComparisonOperator,
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: `dasboard (${Stack.of(this).stackName}): ${description}`,
      metric,
      threshold,
      comparisonOperator: op,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }
}
