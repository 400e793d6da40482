import { type App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag (AwsSolutions pack) runs as a CDK validation plugin: an unacknowledged finding fails
 * synthesis. Every acknowledgment goes through `acknowledge` below, with its reason next to the
 * resource it concerns.
 */
export function applyNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}

/** Acknowledges one finding (`AwsSolutions-S1`, or `AwsSolutions-IAM5[Resource::…]`) on a construct. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges AwsSolutions-IAM5 for object-key wildcards (`…/activity/*`): S3 grants on a prefix
 * cannot name the objects, which do not exist yet. The finding id is the resource as cdk-nag
 * prints it, so the token is resolved and flattened the same way.
 */
export function acknowledgeWildcardResources(scope: IConstruct, resources: string[], reason: string): void {
  const stack = Stack.of(scope);
  for (const resource of new Set(resources.map((r) => flatten(stack.resolve(r))))) {
    if (resource.includes('*')) acknowledge(scope, `AwsSolutions-IAM5[Resource::${resource}]`, reason);
  }
}

// Mirrors cdk-nag's flattenCfnReference: Fn::Join joined, Ref as <Id>, GetAtt as <Id.Attr>.
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node !== 'object' || node === null) return JSON.stringify(node);
  if ('Fn::Join' in node && Array.isArray(node['Fn::Join'])) {
    const [delimiter, items] = node['Fn::Join'];
    return Array.isArray(items) ? items.map(flatten).join(String(delimiter)) : JSON.stringify(node);
  }
  if ('Fn::Sub' in node) return flatten(node['Fn::Sub']);
  if ('Fn::GetAtt' in node && Array.isArray(node['Fn::GetAtt'])) {
    const [resource, attribute] = node['Fn::GetAtt'];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if ('Fn::ImportValue' in node) return flatten(node['Fn::ImportValue']);
  if ('Ref' in node) return `<${flatten(node.Ref)}>`;
  return JSON.stringify(node);
}
