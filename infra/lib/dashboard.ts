import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { OIDC_CLIENT_SECRET_ENV } from './app-config';
import type { InfraConfig } from './config';
import { createDashboardTaskRole } from './dashboard-role';
import { acknowledge } from './nag';
import { createNetwork, type Network } from './network';
import type { Query } from './query';
import type { Storage } from './storage';

const CONTAINER_PORT = 3000;
/** Path of the dasboard config file inside the image (the Dockerfile copies it there when present). */
export const IMAGE_CONFIG_PATH = '/app/dasboard.config.json';

/**
 * The Next.js server on ECS Fargate behind an HTTPS Application Load Balancer. Fargate keeps one
 * long-lived server (streamed CSV exports, no 6 MB response cap, warm Athena clients).
 */
export class Dashboard extends Construct {
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly taskRole: iam.Role;

  constructor(
    scope: Construct,
    id: string,
    cfg: InfraConfig,
    storage: Storage,
    query: Query,
    repoRoot: string,
  ) {
    super(scope, id);
    const d = cfg.dashboard;
    const net = createNetwork(this, cfg);
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: net.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    this.taskRole = createDashboardTaskRole(this, storage, query);
    const arm = d.cpuArchitecture === 'ARM64';
    const task = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: d.cpu,
      memoryLimitMiB: d.memoryMiB,
      taskRole: this.taskRole,
      runtimePlatform: {
        cpuArchitecture: arm ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: d.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    task.addContainer('web', {
      image: ecs.ContainerImage.fromAsset(repoRoot, {
        file: 'Dockerfile',
        platform: arm ? Platform.LINUX_ARM64 : Platform.LINUX_AMD64,
        buildArgs: { DASBOARD_CONFIG_FILE: cfg.appConfigFile ?? '' },
      }),
      portMappings: [{ containerPort: CONTAINER_PORT }],
      environment: this.environment(cfg, storage, query),
      secrets: this.secrets(cfg),
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'web' }),
      healthCheck: {
        command: [
          'CMD',
          'node',
          '-e',
          `fetch('http://127.0.0.1:${CONTAINER_PORT}${d.healthCheckPath}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
        ],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        startPeriod: Duration.seconds(30),
      },
    });
    acknowledge(
      task,
      'AwsSolutions-ECS2',
      'Only non-secret settings are plain environment variables; the OIDC client secret and the session secret come from Secrets Manager.',
    );
    if (task.executionRole) {
      acknowledge(
        task.executionRole,
        'AwsSolutions-IAM5[Resource::*]',
        'ecr:GetAuthorizationToken has no resource-level permissions (it must be *); image pulls themselves are scoped to the asset repository.',
      );
    }

    const serviceSg = new ec2.SecurityGroup(this, 'ServiceSg', {
      vpc: net.vpc,
      description: 'dasboard dashboard tasks: in from the load balancer, out to HTTPS only',
      allowAllOutbound: false,
    });
    serviceSg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs and the OIDC issuer over HTTPS');
    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      desiredCount: d.desiredCount,
      vpcSubnets: net.privateSubnets,
      securityGroups: [serviceSg],
      assignPublicIp: false,
      circuitBreaker: { rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
    });

    const { loadBalancer, targetGroup } = this.createLoadBalancer(cfg, storage, net);
    this.loadBalancer = loadBalancer;
    this.targetGroup = targetGroup;
  }

  private createLoadBalancer(cfg: InfraConfig, storage: Storage, net: Network) {
    const d = cfg.dashboard;
    const albSg = new ec2.SecurityGroup(this, 'AlbSg', {
      vpc: net.vpc,
      description: 'dasboard load balancer: HTTPS (and HTTP redirect) from the allowed networks',
      allowAllOutbound: false,
    });
    for (const cidr of d.allowedCidrs) {
      albSg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS');
      albSg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(80), 'HTTP, redirected to HTTPS');
    }
    if (d.allowedCidrs.includes('0.0.0.0/0')) {
      acknowledge(
        albSg,
        'AwsSolutions-EC23',
        'The dashboard is public by configuration (dashboard.allowedCidrs); every route requires an OIDC sign-in.',
      );
    }
    const loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: net.vpc,
      internetFacing: d.internetFacing,
      vpcSubnets: d.internetFacing ? net.publicSubnets : net.privateSubnets,
      securityGroup: albSg,
      dropInvalidHeaderFields: true,
      deletionProtection: d.deletionProtection,
      // Long CSV exports stream: the idle timeout only counts silence between bytes.
      idleTimeout: Duration.seconds(120),
    });
    loadBalancer.logAccessLogs(storage.logsBucket, 'alb');
    const https = loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromArn(d.certificateArn)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: false,
    });
    const targetGroup = https.addTargets('Web', {
      port: CONTAINER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service],
      healthCheck: { path: d.healthCheckPath, healthyHttpCodes: '200', interval: Duration.seconds(15) },
      deregistrationDelay: Duration.seconds(30),
    });
    loadBalancer.addListener('Http', {
      port: 80,
      open: false,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });
    if (d.hostedZone) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: d.hostedZone.id,
        zoneName: d.hostedZone.name,
      });
      new route53.ARecord(this, 'Alias', {
        zone,
        recordName: d.domainName,
        target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(loadBalancer)),
      });
    }
    return { loadBalancer, targetGroup };
  }

  private environment(cfg: InfraConfig, storage: Storage, query: Query): Record<string, string> {
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      PORT: String(CONTAINER_PORT),
      // ECS sets HOSTNAME to the task's name; the Next.js standalone server binds to it.
      HOSTNAME: '0.0.0.0',
      AWS_REGION: Stack.of(this).region,
      DASBOARD_STORE: storage.storeUrl,
      DASBOARD_ENGINE: 'athena',
      ATHENA_DATABASE: query.databaseName,
      ATHENA_TABLE: query.tableName,
      ATHENA_WORKGROUP: query.workgroupName,
      ATHENA_OUTPUT_LOCATION: query.outputLocation,
      DASBOARD_PUBLIC_URL: `https://${cfg.dashboard.domainName}`,
    };
    if (cfg.appConfigFile) env.DASBOARD_CONFIG = IMAGE_CONFIG_PATH;
    return env;
  }

  /** Injected by ECS from Secrets Manager at start: never in the task definition, image or logs. */
  private secrets(cfg: InfraConfig): Record<string, ecs.Secret> {
    const oidc = cfg.dashboard.oidc;
    const clientSecret = secretsmanager.Secret.fromSecretCompleteArn(
      this,
      'OidcClientSecret',
      oidc.clientSecretArn,
    );
    const session = cfg.dashboard.sessionSecretArn
      ? secretsmanager.Secret.fromSecretCompleteArn(this, 'SessionSecret', cfg.dashboard.sessionSecretArn)
      : this.generatedSessionSecret();
    return {
      [OIDC_CLIENT_SECRET_ENV]: ecs.Secret.fromSecretsManager(clientSecret, oidc.clientSecretJsonField),
      DASBOARD_SESSION_SECRET: ecs.Secret.fromSecretsManager(session),
    };
  }

  private generatedSessionSecret(): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, 'SessionSecret', {
      description: 'dasboard session-signing key',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      secret,
      'AwsSolutions-SMG4',
      'Session-signing key: rotating it signs every user out, so it is rotated by hand (put a new value, restart the service).',
    );
    return secret;
  }
}
