import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { InfraConfig } from './config';

/**
 * Cancelled queries of the dashboard's workgroup, caught from EventBridge's "Athena Query State
 * Change" events into a log group (query ids and states only, never SQL text). The rule's
 * TriggeredRules metric feeds the cut-off alarm.
 */
export class AthenaCancellations extends Construct {
  readonly rule: events.CfnRule;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, cfg: InfraConfig, workgroupName: string) {
    super(scope, id);
    const stack = Stack.of(this);
    // EventBridge delivers to log groups named /aws/events/… only.
    const logGroupName = `/aws/events/${cfg.stackName.toLowerCase()}-athena-cancelled`;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      retention: cfg.ingest.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A log group target needs a resource policy; written here instead of the L2 target's custom resource.
    const policy = new logs.CfnResourcePolicy(this, 'DeliveryPolicy', {
      policyName: `${cfg.stackName}-athena-cancelled-events`,
      policyDocument: stack.toJsonString({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'EventBridgeToLogs',
            Effect: 'Allow',
            Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: this.logGroup.logGroupArn,
          },
        ],
      }),
    });
    this.rule = new events.CfnRule(this, 'Rule', {
      description: `Athena queries cancelled in workgroup ${workgroupName} (bytes-scanned cut-off or stopped)`,
      state: 'ENABLED',
      eventPattern: {
        source: ['aws.athena'],
        'detail-type': ['Athena Query State Change'],
        detail: { currentState: ['CANCELLED'], workgroupName: [workgroupName] },
      },
      targets: [
        {
          id: 'log',
          arn: `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${logGroupName}`,
        },
      ],
    });
    this.rule.node.addDependency(policy, this.logGroup);
  }

  /** Cancelled queries per hour. */
  metric(): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'TriggeredRules',
      dimensionsMap: { RuleName: this.rule.ref },
      statistic: 'Sum',
      period: Duration.hours(1),
    });
  }
}
