import { z } from 'zod';
import {
  ACTIVITY_CLASSES,
  ACTIVITY_COLUMNS,
  type ColumnType,
  PARTITION_COLUMNS,
  STORE_PREFIX,
} from './schema';

/**
 * The Athena / Glue definition of the `activity` table, derived from the storage contract in
 * ./schema. The CLI prints it as DDL (`athenaDdl`); the CDK stack builds the Glue table from the
 * structured form (`athenaTableDefinition`), so both always describe the same table.
 */

export interface GlueColumn {
  name: string;
  /** Hive type as Glue stores it: string, timestamp, bigint, boolean. */
  type: string;
  comment: string;
}

export interface AthenaTableDefinition {
  /** Table location: `<store root>/activity/`. */
  location: string;
  columns: GlueColumn[];
  partitionKeys: GlueColumn[];
  /** Table parameters (TBLPROPERTIES), partition projection included. */
  parameters: Record<string, string>;
  tableType: 'EXTERNAL_TABLE';
  serializationLibrary: string;
  inputFormat: string;
  outputFormat: string;
}

export const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';
export const PARQUET_INPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat';
export const PARQUET_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat';
export const DEFAULT_PROJECTION_START_DATE = '2024-01-01';

const HIVE_TYPES = {
  string: 'string',
  timestamp: 'timestamp',
  int64: 'bigint',
  boolean: 'boolean',
} as const satisfies Record<ColumnType, string>;

// Spliced into DDL text: anything but a plain s3 URI (quotes, spaces, newlines) is refused.
const storeRootSchema = z
  .string()
  .regex(
    /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9!_.*()=+-]+)*\/?$/,
    'an s3://bucket/prefix URI',
  );
const dateSchema = z.iso.date();
// Glue database and table names: lower case letters, digits and underscores.
const glueNameSchema = z.string().regex(/^[a-z0-9_]{1,255}$/, 'a Glue name (a-z, 0-9, _)');

const tableOptionsSchema = z.object({
  location: storeRootSchema,
  projectionStartDate: dateSchema.default(DEFAULT_PROJECTION_START_DATE),
  // Only applies to data Athena itself writes (CTAS/INSERT); readers take each file's own codec.
  compression: z.enum(['SNAPPY', 'ZSTD', 'GZIP']).default('SNAPPY'),
});
export type AthenaTableOptions = z.input<typeof tableOptionsSchema>;

const ddlOptionsSchema = tableOptionsSchema.extend({ database: glueNameSchema, table: glueNameSchema });
export type AthenaDdlOptions = z.input<typeof ddlOptionsSchema>;

/**
 * The table over `<location>/activity/` where `location` is the store root (`s3://bucket/prefix`).
 * Partitions are never registered: projection computes `class` from the enum and `dt` from the
 * date range, so a new day or class is queryable the moment its first object lands.
 */
export function athenaTableDefinition(opts: AthenaTableOptions): AthenaTableDefinition {
  const { location, projectionStartDate, compression } = tableOptionsSchema.parse(opts);
  const tableLocation = `${location.replace(/\/+$/, '')}/${STORE_PREFIX.activity}`;
  const [classColumn, dtColumn] = PARTITION_COLUMNS;
  return {
    location: tableLocation,
    columns: ACTIVITY_COLUMNS.map((c) => ({
      name: c.name,
      type: HIVE_TYPES[c.type],
      comment: c.description,
    })),
    // Both partition keys are strings: projection's `date` type still hands Athena the text value.
    partitionKeys: PARTITION_COLUMNS.map((c) => ({ name: c.name, type: 'string', comment: c.description })),
    parameters: {
      EXTERNAL: 'TRUE',
      classification: 'parquet',
      'parquet.compression': compression,
      'projection.enabled': 'true',
      [`projection.${classColumn.name}.type`]: 'enum',
      [`projection.${classColumn.name}.values`]: ACTIVITY_CLASSES.join(','),
      [`projection.${dtColumn.name}.type`]: 'date',
      [`projection.${dtColumn.name}.format`]: 'yyyy-MM-dd',
      [`projection.${dtColumn.name}.range`]: `${projectionStartDate},NOW`,
      [`projection.${dtColumn.name}.interval`]: '1',
      [`projection.${dtColumn.name}.interval.unit`]: 'DAYS',
      'storage.location.template': `${tableLocation}${classColumn.name}=\${${classColumn.name}}/${dtColumn.name}=\${${dtColumn.name}}/`,
    },
    tableType: 'EXTERNAL_TABLE',
    serializationLibrary: PARQUET_SERDE,
    inputFormat: PARQUET_INPUT_FORMAT,
    outputFormat: PARQUET_OUTPUT_FORMAT,
  };
}

/** `CREATE EXTERNAL TABLE IF NOT EXISTS` text for the Athena console or `dasboard athena-ddl`. */
export function athenaDdl(opts: AthenaDdlOptions): string {
  const { database, table, ...tableOpts } = ddlOptionsSchema.parse(opts);
  const def = athenaTableDefinition(tableOpts);
  // The DDL says EXTERNAL in its verb; the Glue parameter is the same fact for the CDK's CfnTable.
  const properties = Object.entries(def.parameters).filter(([key]) => key !== 'EXTERNAL');
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`${database}\`.\`${table}\` (`,
    columnList(def.columns),
    ')',
    `COMMENT ${hiveString('Database Activity Streams audit events (dasboard)')}`,
    'PARTITIONED BY (',
    columnList(def.partitionKeys),
    ')',
    `ROW FORMAT SERDE ${hiveString(def.serializationLibrary)}`,
    `STORED AS INPUTFORMAT ${hiveString(def.inputFormat)}`,
    `OUTPUTFORMAT ${hiveString(def.outputFormat)}`,
    `LOCATION ${hiveString(def.location)}`,
    'TBLPROPERTIES (',
    properties.map(([key, value]) => `  ${hiveString(key)} = ${hiveString(value)}`).join(',\n'),
    ')',
  ].join('\n');
}

function columnList(columns: readonly GlueColumn[]): string {
  return columns.map((c) => `  \`${c.name}\` ${c.type} COMMENT ${hiveString(c.comment)}`).join(',\n');
}

// Hive DDL string literals take backslash escapes (unlike Trino query literals).
function hiveString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
