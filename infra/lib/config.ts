import { z } from 'zod';
import { ACTIVITY_CLASSES, type ActivityClass, activityClassSchema } from '../../lib/audit/schema';
import {
  alarmsSchema,
  DAS_STREAM_NAME,
  DEFAULT_RETENTION_DAYS,
  dashboardSchema,
  days,
  existingVpcSchema,
  ingestSchema,
  newVpcSchema,
  querySchema,
  storageSchema,
  streamArnRe,
  streamSchema,
} from './config-sections';

export { DEFAULT_RETENTION_DAYS } from './config-sections';

/**
 * The deployment's parameters (`-c config=path.json`, see infra/example.config.json), parsed once
 * in bin/dasboard.ts. Everything the stack needs is here; nothing is looked up in AWS at synth.
 */

export const infraConfigSchema = z
  .object({
    stackName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/)
      .default('Dasboard'),
    account: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id'),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1'),
    streams: z.array(streamSchema).min(1, 'give at least one DAS stream'),
    /** dasboard config file (filter rules, roles, OIDC group mapping), relative to the repo root. */
    appConfigFile: z
      .string()
      .regex(/^[A-Za-z0-9._/-]+\.json$/, 'a repo-relative path to a .json file')
      .refine((p) => !p.startsWith('infra/') && !p.includes('..'), {
        message: 'keep it inside the repo and outside infra/ (infra/ is not in the image build context)',
      })
      .optional(),
    ingest: ingestSchema.prefault({}),
    storage: storageSchema.prefault({}),
    query: querySchema.prefault({}),
    dashboard: dashboardSchema,
    network: z.discriminatedUnion('mode', [newVpcSchema, existingVpcSchema]),
    alarms: alarmsSchema.prefault({}),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .strict()
  .superRefine((cfg, ctx) => checkStreams(cfg, ctx));

const retentionSchema = z.record(activityClassSchema, days);

type ParsedConfig = z.infer<typeof infraConfigSchema>;

function checkStreams(cfg: Pick<ParsedConfig, 'streams' | 'account' | 'region'>, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  cfg.streams.forEach((s, i) => {
    const m = streamArnRe.exec(s.streamArn);
    if (!m) return;
    const [, region, account, name = ''] = m;
    if (region !== cfg.region || account !== cfg.account) {
      ctx.addIssue({
        code: 'custom',
        path: ['streams', i, 'streamArn'],
        message: `the stream must be in the stack's account and region (${cfg.account}, ${cfg.region})`,
      });
    }
    if (seen.has(s.streamArn))
      ctx.addIssue({ code: 'custom', path: ['streams', i], message: 'stream listed twice' });
    seen.add(s.streamArn);
    const fromName = DAS_STREAM_NAME.exec(name)?.[1];
    if (!fromName && !s.resourceId) {
      ctx.addIssue({
        code: 'custom',
        path: ['streams', i, 'resourceId'],
        message: `stream "${name}" is not named aws-rds-das-<resource-id>: give its resourceId`,
      });
    }
    if (s.resourceId && s.resourceId !== fromName && cfg.streams.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['streams', i, 'resourceId'],
        message:
          'a resourceId override (DAS_RESOURCE_ID) applies to the whole function: deploy one stream per stack',
      });
    }
  });
}

/** One DAS stream with everything derived from its ARN. */
export interface DasStream {
  streamArn: string;
  streamName: string;
  kmsKeyArn: string;
  resourceId: string;
  /** KMS encryption-context key: aws:rds:dbc-id for clusters, aws:rds:db-id for instances. */
  contextKey: 'aws:rds:dbc-id' | 'aws:rds:db-id';
  /** True when resourceId is not the one the ingest derives from the stream name. */
  isOverride: boolean;
}

export type InfraConfig = Omit<ParsedConfig, 'streams' | 'storage'> & {
  streams: DasStream[];
  storage: ParsedConfig['storage'] & { bucketName: string; retention: Record<ActivityClass, number> };
};

export class InfraConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InfraConfigError';
  }
}

/** Parses the deployment config; every problem is reported with its JSON path, one per line. */
export function parseInfraConfig(input: unknown): InfraConfig {
  const parsed = infraConfigSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InfraConfigError(`invalid dasboard deployment config:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  return {
    ...cfg,
    streams: cfg.streams.map(toDasStream),
    storage: {
      ...cfg.storage,
      bucketName:
        cfg.storage.bucketName ?? `${cfg.stackName.toLowerCase()}-${cfg.account}-${cfg.region}`.slice(0, 58),
      retention: retentionSchema.parse(
        Object.fromEntries(
          ACTIVITY_CLASSES.map((c) => [c, cfg.storage.retentionDays[c] ?? DEFAULT_RETENTION_DAYS[c]]),
        ),
      ),
    },
  };
}

function toDasStream(s: ParsedConfig['streams'][number]): DasStream {
  const streamName = s.streamArn.slice(s.streamArn.indexOf(':stream/') + ':stream/'.length);
  const fromName = DAS_STREAM_NAME.exec(streamName)?.[1];
  const resourceId = s.resourceId ?? fromName ?? '';
  return {
    streamArn: s.streamArn,
    streamName,
    kmsKeyArn: s.kmsKeyArn,
    resourceId,
    contextKey: resourceId.startsWith('cluster-') ? 'aws:rds:dbc-id' : 'aws:rds:db-id',
    isOverride: resourceId !== fromName,
  };
}

/** `s3://bucket` or `s3://bucket/prefix` (no trailing slash): the DASBOARD_STORE value. */
export function storeUrl(cfg: InfraConfig): string {
  const prefix = cfg.storage.prefix.replace(/\/$/, '');
  return prefix ? `s3://${cfg.storage.bucketName}/${prefix}` : `s3://${cfg.storage.bucketName}`;
}
