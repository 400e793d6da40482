import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { z } from 'zod';
import { Alarms } from './alarms';
import { checkAppConfig } from './app-config';
import type { InfraConfig } from './config';
import { Dashboard } from './dashboard';
import { FirehoseDelivery } from './firehose';
import { IngestFunction } from './ingest';
import { KinesisSource } from './kinesis-source';
import { applyNagChecks } from './nag';
import { Query } from './query';
import { Storage } from './storage';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEFAULT_INGEST_ENTRY = 'ingest/handler.ts';

export interface DasboardStackProps extends StackProps {
  cfg: InfraConfig;
  /** Handler source relative to the repo root; the default is the real ingest. */
  ingestEntry?: string;
  repoRoot?: string;
}

/** dasboard in one stack: store, query layer, ingest (Firehose or Kinesis), dashboard, alarms. */
export class DasboardStack extends Stack {
  readonly storage: Storage;
  readonly query: Query;
  readonly ingest: IngestFunction;
  readonly firehose?: FirehoseDelivery;
  readonly kinesis?: KinesisSource;
  readonly dashboard: Dashboard;
  readonly alarms: Alarms;
  private readonly zones: string[];

  constructor(scope: Construct, id: string, props: DasboardStackProps) {
    const { cfg } = props;
    super(scope, id, {
      ...props,
      env: { account: cfg.account, region: cfg.region },
      description: 'dasboard: Database Activity Streams audit trail and need-to-know dashboard',
    });
    this.zones = cfg.network.availabilityZones;
    const repoRoot = props.repoRoot ?? REPO_ROOT;
    checkAppConfig(repoRoot, cfg);
    this.storage = new Storage(this, 'Storage', cfg);
    this.query = new Query(this, 'Query', cfg, this.storage);
    this.ingest = new IngestFunction(this, 'Ingest', {
      cfg,
      storage: this.storage,
      repoRoot,
      entry: props.ingestEntry ?? DEFAULT_INGEST_ENTRY,
    });
    if (cfg.ingest.mode === 'firehose') {
      this.firehose = new FirehoseDelivery(this, 'Firehose', cfg, this.storage, this.ingest.fn);
    } else {
      this.kinesis = new KinesisSource(this, 'Kinesis', cfg, this.ingest.fn, this.ingest.role);
    }
    this.dashboard = new Dashboard(this, 'Dashboard', cfg, this.storage, this.query, repoRoot);
    this.alarms = new Alarms(this, 'Alarms', cfg, {
      ingest: this.ingest,
      deliveryStreams: this.firehose?.deliveryStreams ?? [],
      kinesis: this.kinesis,
      query: this.query,
      dashboard: this.dashboard,
    });
    for (const [key, value] of Object.entries({ application: 'dasboard', ...cfg.tags }))
      Tags.of(this).add(key, value);
    this.outputs(cfg);
  }

  /** The configured zones: no availability-zone lookup, so synth needs no AWS credentials. */
  override get availabilityZones(): string[] {
    return this.zones;
  }

  private outputs(cfg: InfraConfig): void {
    const out = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    out('StoreUrl', this.storage.storeUrl, 'DASBOARD_STORE');
    out(
      'DashboardUrl',
      `https://${cfg.dashboard.domainName}`,
      'Dashboard address (point its DNS at LoadBalancerDns)',
    );
    out('LoadBalancerDns', this.dashboard.loadBalancer.loadBalancerDnsName, 'ALB DNS name');
    out('AthenaWorkGroup', this.query.workgroupName, 'ATHENA_WORKGROUP');
    out('GlueTable', `${this.query.databaseName}.${this.query.tableName}`, 'ATHENA_DATABASE.ATHENA_TABLE');
    out('IngestFunction', this.ingest.fn.functionName, 'Ingest Lambda');
    out('AlarmTopic', this.alarms.topic.topicArn, 'SNS topic of the alarms');
  }
}

const cdkJsonSchema = z.object({ context: z.record(z.string(), z.unknown()) });

/** Feature flags pinned in infra/cdk.json, applied whatever directory `cdk` runs from. */
export function pinnedContext(): Record<string, unknown> {
  const text = readFileSync(new URL('../cdk.json', import.meta.url), 'utf8');
  return cdkJsonSchema.parse(JSON.parse(text)).context;
}

/** An App with the pinned flags (CLI `-c` values and CDK_OUTDIR still apply on top). */
export function createApp(opts: { outdir?: string; context?: Record<string, unknown> } = {}): App {
  return new App({ outdir: opts.outdir, context: { ...pinnedContext(), ...opts.context } });
}

/** Adds the dasboard stack and the cdk-nag checks to an app, as `cdk synth` and the tests do. */
export function addDasboard(app: App, cfg: InfraConfig, opts: { ingestEntry?: string } = {}): DasboardStack {
  const stack = new DasboardStack(app, cfg.stackName, { cfg, ingestEntry: opts.ingestEntry });
  applyNagChecks(app);
  return stack;
}
