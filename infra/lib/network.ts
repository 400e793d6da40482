import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config';
import { acknowledge } from './nag';

export interface Network {
  vpc: ec2.IVpc;
  /** Load balancer subnets. */
  publicSubnets: ec2.SubnetSelection;
  /** Task subnets (egress through NAT to Athena, Secrets Manager, the OIDC issuer). */
  privateSubnets: ec2.SubnetSelection;
}

/**
 * A new VPC (two tiers, flow logs, an S3 gateway endpoint) or an existing one described by ids:
 * `Vpc.fromVpcAttributes` needs no lookup, so synth stays offline.
 */
export function createNetwork(scope: Construct, cfg: InfraConfig): Network {
  const net = cfg.network;
  if (net.mode === 'existing') {
    const vpc = ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
      vpcId: net.vpcId,
      availabilityZones: net.availabilityZones,
      publicSubnetIds: net.publicSubnetIds,
      privateSubnetIds: net.privateSubnetIds,
    });
    return {
      vpc,
      publicSubnets: { subnets: vpc.publicSubnets },
      privateSubnets: { subnets: vpc.privateSubnets },
    };
  }
  const flowLogs = new logs.LogGroup(scope, 'FlowLogs', {
    retention: cfg.dashboard.logRetentionDays,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(net.cidr),
    availabilityZones: net.availabilityZones,
    natGateways: net.natGateways,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
    ],
    flowLogs: {
      all: {
        destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
        trafficType: ec2.FlowLogTrafficType.ALL,
      },
    },
    gatewayEndpoints: { s3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
  });
  acknowledge(
    vpc,
    'CloudFormation-Validate::W3010',
    'The zones come from the deployment config on purpose: synth then needs no AWS lookup.',
  );
  return {
    vpc,
    publicSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    privateSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
  };
}
