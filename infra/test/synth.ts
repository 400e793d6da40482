import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { z } from 'zod';
import { type InfraConfig, parseInfraConfig } from '../lib/config';
import { addDasboard, createApp, type DasboardStack } from '../lib/stack';

/** Shared by the stack tests: one synth per mode (bundling the real ingest/handler.ts). */

export function exampleConfig(): Record<string, unknown> {
  const text = readFileSync(new URL('../example.config.json', import.meta.url), 'utf8');
  return z.record(z.string(), z.unknown()).parse(JSON.parse(text));
}

export interface Synthesized {
  cfg: InfraConfig;
  stack: DasboardStack;
  template: Template;
  /** The CDK validation report (cdk-nag and CloudFormation checks). */
  report: ValidationReport;
  /** The cloud assembly directory (assets staged there). */
  outdir: string;
  cleanup: () => void;
}

const reportSchema = z.object({
  pluginReports: z.array(
    z.looseObject({
      pluginName: z.string(),
      violations: z.array(z.looseObject({ ruleName: z.string(), severity: z.string() })),
    }),
  ),
});
export type ValidationReport = z.infer<typeof reportSchema>;

export function synthesize(raw: Record<string, unknown>): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'dasboard-cdk-'));
  const cfg = parseInfraConfig(raw);
  const app = createApp({ outdir });
  const stack = addDasboard(app, cfg);
  // Throws when cdk-nag reports an error that no acknowledgment covers.
  const assembly = app.synth();
  const report = reportSchema.parse(
    JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')),
  );
  return {
    cfg,
    stack,
    template: Template.fromStack(stack),
    report,
    outdir,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** Every acknowledgment (rule id → reason) recorded on the constructs of a stack. */
export function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  const found: { path: string; id: string; reason: string }[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(z.record(z.string(), z.string()).parse(entry.data))) {
        found.push({ path: c.node.path, id, reason });
      }
    }
  }
  return found;
}

export interface PolicyStatementJson {
  resourceType: string;
  logicalId: string;
  effect: string;
  actions: string[];
  notActions: unknown;
  resources: unknown[];
  condition: unknown;
}

const statementSchema = z.looseObject({
  Effect: z.string(),
  Action: z.union([z.string(), z.array(z.string())]).optional(),
  NotAction: z.unknown().optional(),
  Resource: z.unknown().optional(),
  Condition: z.unknown().optional(),
});
const documentSchema = z.looseObject({ Statement: z.array(statementSchema) });
const resourceSchema = z.looseObject({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).optional(),
});

/** Every statement of every policy in the template: identity, trust, key, bucket, topic, queue, logs. */
export function allStatements(template: Template): PolicyStatementJson[] {
  const out: PolicyStatementJson[] = [];
  const resources = z.record(z.string(), resourceSchema).parse(template.toJSON().Resources);
  for (const [logicalId, res] of Object.entries(resources)) {
    for (const doc of documentsOf(res.Type, res.Properties ?? {})) {
      for (const s of documentSchema.parse(doc).Statement) {
        out.push({
          resourceType: res.Type,
          logicalId,
          effect: s.Effect,
          actions: s.Action === undefined ? [] : [s.Action].flat(),
          notActions: s.NotAction,
          resources: s.Resource === undefined ? [] : [s.Resource].flat(),
          condition: s.Condition,
        });
      }
    }
  }
  return out;
}

function documentsOf(type: string, props: Record<string, unknown>): unknown[] {
  switch (type) {
    case 'AWS::IAM::Role': {
      const inline =
        z
          .array(z.looseObject({ PolicyDocument: z.unknown() }))
          .optional()
          .parse(props.Policies) ?? [];
      return [props.AssumeRolePolicyDocument, ...inline.map((p) => p.PolicyDocument)];
    }
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
    case 'AWS::S3::BucketPolicy':
    case 'AWS::SNS::TopicPolicy':
    case 'AWS::SQS::QueuePolicy':
      return [props.PolicyDocument];
    case 'AWS::KMS::Key':
      return [props.KeyPolicy];
    case 'AWS::Logs::ResourcePolicy':
      return [JSON.parse(flattenJoin(props.PolicyDocument))];
    default:
      return [];
  }
}

// A JSON policy built with Fn::Join: tokens become a placeholder string so it parses.
function flattenJoin(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = z.object({ 'Fn::Join': z.tuple([z.string(), z.array(z.unknown())]) }).safeParse(value);
  if (!join.success) return 'TOKEN';
  const [delimiter, parts] = join.data['Fn::Join'];
  return parts.map(flattenJoin).join(delimiter);
}

/** Statements of the IAM role whose logical id starts with `prefix`. */
export function roleStatements(template: Template, prefix: string): PolicyStatementJson[] {
  return allStatements(template).filter(
    (s) =>
      (s.resourceType === 'AWS::IAM::Role' || s.resourceType === 'AWS::IAM::Policy') &&
      s.logicalId.startsWith(prefix) &&
      !s.actions.includes('sts:AssumeRole'),
  );
}

/** Resolves `{ Ref }`/`Fn::Join` to a readable string for assertions (Refs become `<Id>`). */
export function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  const ref = z.object({ Ref: z.string() }).safeParse(value);
  if (ref.success) return `<${ref.data.Ref}>`;
  const att = z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) }).safeParse(value);
  if (att.success) return `<${att.data['Fn::GetAtt'][0]}.${att.data['Fn::GetAtt'][1]}>`;
  const join = z.object({ 'Fn::Join': z.tuple([z.string(), z.array(z.unknown())]) }).safeParse(value);
  if (join.success) return join.data['Fn::Join'][1].map(flat).join(join.data['Fn::Join'][0]);
  return JSON.stringify(value);
}
