import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * Key administration, spelled out: the usual `kms:*` for the account would also let any IAM
 * policy grant every cryptographic use of the key. Here IAM can grant only what the stack uses.
 */
const KEY_ADMIN_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:ListKeyPolicies',
  'kms:GetKeyRotationStatus',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:ListKeyRotations',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:UpdateKeyDescription',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:ListResourceTags',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:RetireGrant',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

export interface KeyProps {
  description: string;
  alias: string;
  /** Cryptographic actions IAM policies in this account may grant on the key. */
  usage: string[];
  /** Service principals allowed to use the key directly (key-policy statements). */
  services?: { principal: string; actions: string[] }[];
}

/** A customer managed key with rotation on and a least-privilege key policy. */
export function createKey(scope: Construct, id: string, props: KeyProps): kms.Key {
  const account = Stack.of(scope).account;
  const policy = new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AccountAdministersAndDelegatesUse',
        principals: [new iam.AccountRootPrincipal()],
        actions: [...KEY_ADMIN_ACTIONS, ...props.usage],
        resources: ['*'],
      }),
      ...(props.services ?? []).map(
        (s) =>
          new iam.PolicyStatement({
            sid: `Service${s.principal.split('.')[0]}`,
            principals: [new iam.ServicePrincipal(s.principal)],
            actions: s.actions,
            resources: ['*'],
            conditions: { StringEquals: { 'aws:SourceAccount': account } },
          }),
      ),
    ],
  });
  return new kms.Key(scope, id, {
    description: props.description,
    alias: props.alias,
    enableKeyRotation: true,
    policy,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
