import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/stack';
import { APP_CONFIG, APP_CONFIG_TEXT, KEY, kinesisVariant, STREAMS } from './kinesis-variant';
import { acknowledgments, allStatements, flat, roleStatements, type Synthesized, synthesize } from './synth';

// One synth in Kinesis mode (bundles the real ingest/handler.ts), shared by every test below.
let s: Synthesized;
beforeAll(() => {
  mkdirSync(join(REPO_ROOT, '.tmp/infra-test'), { recursive: true });
  writeFileSync(join(REPO_ROOT, APP_CONFIG), APP_CONFIG_TEXT);
  s = synthesize(kinesisVariant());
});
afterAll(() => {
  s?.cleanup();
  rmSync(join(REPO_ROOT, '.tmp/infra-test'), { recursive: true, force: true });
});

const resourcesOf = (type: string) => Object.values(s.template.findResources(type)).map((r) => r.Properties);

describe('Kinesis event source mappings', () => {
  it('maps every DAS stream with bisect-on-error, partial batch responses and an on-failure queue', () => {
    const mappings = resourcesOf('AWS::Lambda::EventSourceMapping');
    expect(mappings.map((m) => m.EventSourceArn)).toEqual(STREAMS.map((x) => x.streamArn));
    const [queueId] = Object.keys(s.template.findResources('AWS::SQS::Queue'));
    for (const m of mappings) {
      expect(m).toMatchObject({
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        StartingPosition: 'TRIM_HORIZON',
        MaximumRetryAttempts: 10,
        MaximumRecordAgeInSeconds: 86_400,
        ParallelizationFactor: 2,
        BatchSize: 100,
      });
      expect(flat(m.DestinationConfig.OnFailure.Destination)).toBe(`<${queueId}.Arn>`);
    }
    expect(resourcesOf('AWS::KinesisFirehose::DeliveryStream')).toHaveLength(0);
  });

  it('encrypts the on-failure queue and requires TLS on it', () => {
    expect(resourcesOf('AWS::SQS::Queue')[0]).toMatchObject({ SqsManagedSseEnabled: true });
    const deny = allStatements(s.template).filter((st) => st.resourceType === 'AWS::SQS::QueuePolicy');
    expect(deny).toContainEqual(
      expect.objectContaining({ effect: 'Deny', condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('runs the Kinesis handler and lets its role read only the DAS streams and send to the queue', () => {
    const fn = resourcesOf('AWS::Lambda::Function').find((f) => f.Handler === 'index.kinesisHandler');
    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: 120 });
    expect(fn?.Environment.Variables).toMatchObject({
      DASBOARD_STORE: 's3://acme-audit/das',
      DAS_KMS_KEY_ARN: KEY,
    });
    expect(fn?.Environment.Variables.FIREHOSE_RECORD_RESULT).toBeUndefined();
    const statements = roleStatements(s.template, 'IngestRole');
    const kinesis = statements.filter((st) => st.actions.some((a) => a.startsWith('kinesis:')));
    expect(kinesis.flatMap((st) => st.resources)).toEqual(STREAMS.map((x) => x.streamArn));
    const sqs = statements.filter((st) => st.actions.includes('sqs:SendMessage'));
    expect(sqs.flatMap((st) => st.resources.map(flat))).toEqual([
      expect.stringMatching(/^<KinesisOnFailure.+\.Arn>$/),
    ]);
  });

  it('decrypts both clusters with one statement on the shared key', () => {
    const decrypt = roleStatements(s.template, 'IngestRole').filter((st) => st.resources.includes(KEY));
    expect(decrypt.map((st) => st.condition)).toEqual([
      { StringEquals: { 'kms:EncryptionContext:aws:rds:dbc-id': ['cluster-AAAA1111', 'cluster-BBBB2222'] } },
    ]);
  });
});

describe('dasboard config file', () => {
  it('is copied next to the Lambda bundle, and both the Lambda and the container are pointed at it', () => {
    const fn = resourcesOf('AWS::Lambda::Function').find((f) => f.Handler === 'index.kinesisHandler');
    expect(fn?.Environment.Variables.DASBOARD_CONFIG).toBe('/var/task/dasboard.config.json');
    const assetHash = String(fn?.Code.S3Key).replace(/\.zip$/, '');
    const bundled = join(s.outdir, `asset.${assetHash}`, 'dasboard.config.json');
    expect(existsSync(bundled)).toBe(true);
    expect(readFileSync(bundled, 'utf8')).toBe(APP_CONFIG_TEXT);
    const [container] = resourcesOf('AWS::ECS::TaskDefinition')[0]?.ContainerDefinitions ?? [];
    expect(container.Environment).toContainEqual({
      Name: 'DASBOARD_CONFIG',
      Value: '/app/dasboard.config.json',
    });
  });
});

describe('store prefix', () => {
  it('scopes lifecycle rules, IAM and the Glue location under the prefix', () => {
    const bucket = resourcesOf('AWS::S3::Bucket').find((b) => b.BucketName === 'acme-audit');
    const prefixes = bucket?.LifecycleConfiguration.Rules.map((r: { Prefix: string }) => r.Prefix);
    expect(prefixes).toEqual(
      expect.arrayContaining(['das/activity/class=DDL/', 'das/quarantine/', 'das/raw/']),
    );
    const writes = roleStatements(s.template, 'IngestRole').filter((st) =>
      st.actions.includes('s3:PutObject'),
    );
    expect(writes.flatMap((st) => st.resources.map(flat)).every((r) => r.includes('/das/'))).toBe(true);
    const table = resourcesOf('AWS::Glue::Table')[0]?.TableInput;
    expect(table.StorageDescriptor.Location).toBe('s3://acme-audit/das/activity/');
  });
});

describe('dashboard', () => {
  const taskRole = () => roleStatements(s.template, 'DashboardTaskRole');

  it('may use Athena on its workgroup only, and read the Glue table only', () => {
    const athena = taskRole().filter((st) => st.actions.some((a) => a.startsWith('athena:')));
    expect(athena.flatMap((st) => st.resources)).toEqual([
      'arn:aws:athena:eu-west-1:123456789012:workgroup/dasboard',
    ]);
    const glue = taskRole().filter((st) => st.actions.some((a) => a.startsWith('glue:')));
    expect(glue.flatMap((st) => st.actions).sort()).toEqual([
      'glue:GetDatabase',
      'glue:GetPartitions',
      'glue:GetTable',
    ]);
    expect(glue.flatMap((st) => st.resources)).toEqual([
      'arn:aws:glue:eu-west-1:123456789012:catalog',
      'arn:aws:glue:eu-west-1:123456789012:database/dasboard',
      'arn:aws:glue:eu-west-1:123456789012:table/dasboard/activity',
    ]);
  });

  it('reads activity/ (and the access log, results), writes only access-log/ and results/', () => {
    const objects = (action: string) =>
      taskRole()
        .filter((st) => st.actions.includes(action))
        .flatMap((st) => st.resources.map(flat).map((r) => r.replace(/^.*\/das\//, '')));
    expect(objects('s3:GetObject').sort()).toEqual(['access-log/*', 'activity/*', 'results/*']);
    expect(objects('s3:PutObject').sort()).toEqual(['access-log/*', 'results/*']);
    const list = taskRole().find((st) => st.actions.includes('s3:ListBucket'));
    expect(list?.condition).toEqual({
      StringLike: { 's3:prefix': ['das/activity/*', 'das/access-log/*', 'das/results/*'] },
    });
    const services = new Set(taskRole().flatMap((st) => st.actions.map((a) => a.split(':')[0])));
    expect([...services].sort()).toEqual(['athena', 'glue', 'kms', 's3']);
  });

  it('passes settings as environment and the OIDC/session secrets only through Secrets Manager', () => {
    const [task] = resourcesOf('AWS::ECS::TaskDefinition');
    const [container] = task.ContainerDefinitions;
    const env = Object.fromEntries(
      container.Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]),
    );
    expect(env).toMatchObject({
      DASBOARD_STORE: 's3://acme-audit/das',
      DASBOARD_ENGINE: 'athena',
      ATHENA_DATABASE: 'dasboard',
      ATHENA_TABLE: 'activity',
      ATHENA_WORKGROUP: 'dasboard',
      ATHENA_OUTPUT_LOCATION: 's3://acme-audit/das/results/',
    });
    expect(Object.keys(env).filter((k) => /SECRET|PASSWORD|TOKEN/.test(k))).toEqual([]);
    const secrets = container.Secrets.map((x: { Name: string; ValueFrom: unknown }) => [
      x.Name,
      flat(x.ValueFrom),
    ]);
    expect(secrets).toEqual([
      [
        'OIDC_CLIENT_SECRET',
        'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dasboard/oidc-client-AbCdEf',
      ],
      ['DASBOARD_SESSION_SECRET', expect.stringMatching(/^<DashboardSessionSecret/)],
    ]);
    expect(task.RuntimePlatform).toEqual({ CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' });
  });

  it('serves HTTPS with the given certificate and a TLS 1.2+ policy, redirects HTTP, logs access', () => {
    const listeners = resourcesOf('AWS::ElasticLoadBalancingV2::Listener');
    const https = listeners.find((l) => l.Port === 443);
    expect(https).toMatchObject({
      Protocol: 'HTTPS',
      Certificates: [
        {
          CertificateArn:
            'arn:aws:acm:eu-west-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        },
      ],
    });
    expect(https?.SslPolicy).toMatch(/^ELBSecurityPolicy-TLS13-1-2/);
    const http = listeners.find((l) => l.Port === 80);
    expect(http?.DefaultActions[0]).toMatchObject({
      Type: 'redirect',
      RedirectConfig: { Protocol: 'HTTPS', Port: '443' },
    });
    const [alb] = resourcesOf('AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(alb.Scheme).toBe('internal');
    expect(alb.Subnets).toEqual(['subnet-0000000000000000c', 'subnet-0000000000000000d']);
    const attrs = Object.fromEntries(
      alb.LoadBalancerAttributes.map((a: { Key: string; Value: string }) => [a.Key, a.Value]),
    );
    expect(attrs).toMatchObject({
      'access_logs.s3.enabled': 'true',
      'routing.http.drop_invalid_header_fields.enabled': 'true',
      'deletion_protection.enabled': 'false',
    });
    const ingress = resourcesOf('AWS::EC2::SecurityGroup').flatMap((g) => g.SecurityGroupIngress ?? []);
    expect(new Set(ingress.map((r: { CidrIp: string }) => r.CidrIp))).toEqual(new Set(['10.0.0.0/8']));
  });
});

describe('alarms', () => {
  const alarms = () => resourcesOf('AWS::CloudWatch::Alarm');
  const find = (namespace: string, metricName: string) =>
    alarms().filter((a) => a.Namespace === namespace && a.MetricName === metricName);

  it('watches ingest errors, throttles, quarantined records, iterator age and the on-failure queue', () => {
    expect(find('AWS/Lambda', 'Errors')).toHaveLength(1);
    expect(find('AWS/Lambda', 'Throttles')).toHaveLength(1);
    expect(find('AWS/Lambda', 'IteratorAge')).toHaveLength(1);
    expect(find('dasboard', 'RecordsQuarantined')[0]?.Dimensions).toEqual([
      { Name: 'service', Value: 'ingest' },
    ]);
    const age = find('AWS/Kinesis', 'GetRecords.IteratorAgeMilliseconds');
    expect(age.map((a) => a.Dimensions[0].Value)).toEqual(STREAMS.map((x) => x.streamArn.split('/')[1]));
    expect(find('AWS/SQS', 'ApproximateNumberOfMessagesVisible')).toHaveLength(1);
  });

  it('watches Athena cancellations (cut-offs) through EventBridge and the daily bytes scanned', () => {
    expect(find('AWS/Events', 'TriggeredRules')).toHaveLength(1);
    expect(find('AWS/Athena', 'ProcessedBytes')[0]?.Dimensions).toEqual([
      { Name: 'WorkGroup', Value: 'dasboard' },
    ]);
    expect(resourcesOf('AWS::Events::Rule')[0]?.EventPattern).toEqual({
      source: ['aws.athena'],
      'detail-type': ['Athena Query State Change'],
      detail: { currentState: ['CANCELLED'], workgroupName: ['dasboard'] },
    });
  });

  it('notifies one KMS-encrypted SNS topic from every alarm', () => {
    const [topicId] = Object.keys(s.template.findResources('AWS::SNS::Topic'));
    expect(resourcesOf('AWS::SNS::Topic')[0]?.KmsMasterKeyId).toBeDefined();
    for (const a of alarms()) expect(a.AlarmActions.map(flat)).toEqual([`<${topicId}>`]);
  });
});

describe('IAM and cdk-nag in Kinesis mode', () => {
  it('grants no wildcard action anywhere', () => {
    const allows = allStatements(s.template).filter((st) => st.effect === 'Allow');
    expect(allows.flatMap((st) => st.actions).filter((a) => a.includes('*'))).toEqual([]);
  });

  it('passes the AwsSolutions pack; the internal load balancer needs no open-ingress acknowledgment', () => {
    const nag = s.report.pluginReports.filter((r) => r.pluginName.includes('AwsSolutions'));
    expect(nag.flatMap((r) => r.violations)).toEqual([]);
    const ids = acknowledgments(s.stack).map((a) => a.id.replace(/^.*::/, ''));
    expect(ids).toContain('AwsSolutions-SQS3');
    expect(ids).not.toContain('AwsSolutions-EC23');
  });
});
