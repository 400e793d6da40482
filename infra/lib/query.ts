import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { athenaTableDefinition } from '../../lib/audit/athena-ddl';
import type { InfraConfig } from './config';
import { RESULTS_PREFIX, type Storage } from './storage';

/** Athena's current engine; version 2 is retired. */
export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

/**
 * The Glue database and `activity` table (built from lib/audit/athena-ddl, the same schema the
 * Parquet writer uses, with partition projection) and the Athena workgroup the dashboard must use.
 */
export class Query extends Construct {
  readonly databaseName: string;
  readonly tableName: string;
  readonly workgroupName: string;
  readonly outputLocation: string;
  readonly workgroup: athena.CfnWorkGroup;

  constructor(scope: Construct, id: string, cfg: InfraConfig, storage: Storage) {
    super(scope, id);
    const q = cfg.query;
    const account = Stack.of(this).account;
    this.databaseName = q.databaseName;
    this.tableName = q.tableName;
    this.workgroupName = q.workgroupName;
    this.outputLocation = storage.url(RESULTS_PREFIX);

    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: { name: q.databaseName, description: 'dasboard: Database Activity Streams audit trail' },
    });

    const def = athenaTableDefinition({
      location: storage.storeUrl,
      projectionStartDate: q.projectionStartDate,
    });
    const table = new glue.CfnTable(this, 'Table', {
      catalogId: account,
      databaseName: q.databaseName,
      tableInput: {
        name: q.tableName,
        description: 'Database Activity Streams audit events (dasboard)',
        tableType: def.tableType,
        parameters: def.parameters,
        partitionKeys: def.partitionKeys,
        storageDescriptor: {
          columns: def.columns,
          location: def.location,
          inputFormat: def.inputFormat,
          outputFormat: def.outputFormat,
          serdeInfo: {
            serializationLibrary: def.serializationLibrary,
            parameters: { 'serialization.format': '1' },
          },
          compressed: false,
          storedAsSubDirectories: false,
        },
      },
    });
    table.node.addDependency(database);

    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: q.workgroupName,
      description: 'dasboard dashboard queries: enforced settings, per-query scan cut-off, encrypted results',
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        // Clients cannot override the result location, encryption or the cut-off.
        enforceWorkGroupConfiguration: true,
        bytesScannedCutoffPerQuery: q.bytesScannedCutoffPerQuery,
        publishCloudWatchMetricsEnabled: true,
        requesterPaysEnabled: false,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: this.outputLocation,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: storage.key.keyArn },
          expectedBucketOwner: account,
          aclConfiguration: { s3AclOption: 'BUCKET_OWNER_FULL_CONTROL' },
        },
      },
    });
  }

  workgroupArn(): string {
    const stack = Stack.of(this);
    return `arn:${stack.partition}:athena:${stack.region}:${stack.account}:workgroup/${this.workgroupName}`;
  }

  /** Glue ARNs a reader needs: the catalog, the database and the table. */
  glueArns(): string[] {
    const stack = Stack.of(this);
    const base = `arn:${stack.partition}:glue:${stack.region}:${stack.account}`;
    return [
      `${base}:catalog`,
      `${base}:database/${this.databaseName}`,
      `${base}:table/${this.databaseName}/${this.tableName}`,
    ];
  }
}
