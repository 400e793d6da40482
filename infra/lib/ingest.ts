import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { STORE_PREFIX } from '../../lib/audit/schema';
import type { DasStream, InfraConfig } from './config';
import { acknowledgeWildcardResources } from './nag';
import type { Storage } from './storage';

/** Lambda runtime: the newest Node.js LTS this aws-cdk-lib offers (AWS SDK v3 needs ≥ 22 from 2027). */
export const INGEST_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const INGEST_ESBUILD_TARGET = 'node24';
/** Where the bundled dasboard config file lands inside the function package. */
export const BUNDLED_CONFIG_PATH = '/var/task/dasboard.config.json';
// ESM output still meets CommonJS dependencies that call require(); give them one.
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export interface IngestFunctionProps {
  cfg: InfraConfig;
  storage: Storage;
  repoRoot: string;
  /** Handler source, relative to the repo root (default ingest/handler.ts). */
  entry: string;
}

/** The ingest Lambda (arm64, bundled by esbuild with the AWS SDK pinned inside) and its role. */
export class IngestFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: IngestFunctionProps) {
    super(scope, id);
    const { cfg, storage, repoRoot } = props;
    const entry = resolve(repoRoot, props.entry);
    if (relative(repoRoot, entry).startsWith('..')) {
      throw new Error(`ingest entry ${props.entry} must be inside the repository (${repoRoot})`);
    }
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: cfg.ingest.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'dasboard ingest: decrypt DAS records, write the store',
      inlinePolicies: {
        ingest: new iam.PolicyDocument({ statements: this.statements(cfg, storage, logGroup) }),
      },
    });
    acknowledgeWildcardResources(
      this.role,
      [storage.objectsArn(STORE_PREFIX.activity), storage.objectsArn(STORE_PREFIX.quarantine)],
      'The ingest writes new objects under activity/ and quarantine/ only; object keys are not known in advance.',
    );

    const handler = cfg.ingest.mode === 'firehose' ? 'firehoseHandler' : 'kinesisHandler';
    this.fn = new NodejsFunction(this, 'Function', {
      description: `dasboard ingest (${cfg.ingest.mode})`,
      entry,
      handler,
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      runtime: INGEST_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      // Memory and timeout come from the ingest benchmark (bench/, README cost table).
      memorySize: cfg.ingest.memoryMiB,
      timeout: Duration.seconds(cfg.ingest.timeoutSeconds),
      reservedConcurrentExecutions: cfg.ingest.reservedConcurrency,
      role: this.role,
      logGroup,
      environment: this.environment(cfg, storage),
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: INGEST_ESBUILD_TARGET,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // Bundle the AWS SDK too, so the versions in package-lock.json are the ones that run.
        externalModules: [],
        commandHooks: bundledConfigHooks(repoRoot, cfg.appConfigFile),
      },
    });
  }

  private environment(cfg: InfraConfig, storage: Storage): Record<string, string> {
    const env: Record<string, string> = {
      DASBOARD_STORE: storage.storeUrl,
      POWERTOOLS_SERVICE_NAME: 'ingest',
      POWERTOOLS_METRICS_NAMESPACE: 'dasboard',
      LOG_LEVEL: cfg.ingest.logLevel,
      NODE_OPTIONS: '--enable-source-maps',
    };
    if (cfg.ingest.mode === 'firehose') env.FIREHOSE_RECORD_RESULT = cfg.ingest.rawArchive ? 'Ok' : 'Dropped';
    if (cfg.appConfigFile) env.DASBOARD_CONFIG = BUNDLED_CONFIG_PATH;
    const override = cfg.streams.find((s) => s.isOverride);
    if (override) env.DAS_RESOURCE_ID = override.resourceId;
    const keys = new Set(cfg.streams.map((s) => s.kmsKeyArn));
    // One key for every stream: the ingest pins KMS Decrypt to it (das-format.md §2.1 hardening).
    if (keys.size === 1) env.DAS_KMS_KEY_ARN = [...keys].join('');
    return env;
  }

  private statements(cfg: InfraConfig, storage: Storage, logGroup: logs.LogGroup): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        sid: 'Logs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
      ...dasDecryptStatements(cfg.streams),
      new iam.PolicyStatement({
        sid: 'WriteStore',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [storage.objectsArn(STORE_PREFIX.activity), storage.objectsArn(STORE_PREFIX.quarantine)],
      }),
      new iam.PolicyStatement({
        sid: 'StoreKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [storage.key.keyArn],
        conditions: storage.viaS3Condition(),
      }),
    ];
  }
}

/**
 * kms:Decrypt on the DAS keys only, and only for the resource ids of the configured streams:
 * RDS binds each data key to `aws:rds:dbc-id` (clusters) or `aws:rds:db-id` (instances).
 */
export function dasDecryptStatements(streams: DasStream[]): iam.PolicyStatement[] {
  const groups = new Map<string, { keyArn: string; contextKey: string; ids: Set<string> }>();
  for (const s of streams) {
    const k = `${s.kmsKeyArn} ${s.contextKey}`;
    const group = groups.get(k) ?? { keyArn: s.kmsKeyArn, contextKey: s.contextKey, ids: new Set<string>() };
    group.ids.add(s.resourceId);
    groups.set(k, group);
  }
  return [...groups.values()].map(
    (g, i) =>
      new iam.PolicyStatement({
        sid: `DecryptDasDataKeys${i}`,
        actions: ['kms:Decrypt'],
        resources: [g.keyArn],
        conditions: { StringEquals: { [`kms:EncryptionContext:${g.contextKey}`]: [...g.ids].sort() } },
      }),
  );
}

/** Copies the dasboard config file (filter rules) next to the bundle, where DASBOARD_CONFIG points. */
function bundledConfigHooks(repoRoot: string, file: string | undefined) {
  const noop = () => [];
  if (!file) return undefined;
  const source = resolve(repoRoot, file);
  if (!existsSync(source)) throw new Error(`appConfigFile ${file} does not exist under ${repoRoot}`);
  return {
    beforeBundling: noop,
    beforeInstall: noop,
    afterBundling: (_in: string, outputDir: string) => [`cp "${source}" "${outputDir}/dasboard.config.json"`],
  };
}
