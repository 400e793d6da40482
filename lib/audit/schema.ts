import { z } from 'zod';

/**
 * The storage contract (../shared/docs/architecture.md): activity classes, engines and the
 * columns of `activity/class=<CLASS>/dt=<YYYY-MM-DD>/*.parquet`. Defined once here; the Parquet
 * writer, the Athena DDL, row parsers and API types all derive from it.
 * Pure module: no Node-only or server-only imports (the browser and the Lambda use it too).
 */

export const ACTIVITY_CLASSES = [
  'DDL',
  'DML',
  'DQL',
  'DCL',
  'TCL',
  'CONNECT',
  'DISCONNECT',
  'AUTH_FAILURE',
  'ERROR',
  'OTHER',
] as const;
export const activityClassSchema = z.enum(ACTIVITY_CLASSES);
export type ActivityClass = z.infer<typeof activityClassSchema>;

export const ENGINES = ['postgresql', 'mysql', 'oracle', 'sqlserver'] as const;
export const engineSchema = z.enum(ENGINES);
export type Engine = z.infer<typeof engineSchema>;

/** Physical column types (Parquet logical types; Athena / DuckDB types derive from these). */
export type ColumnType = 'string' | 'timestamp' | 'int64' | 'boolean';

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly description: string;
}

const col = (name: string, type: ColumnType, nullable: boolean, description: string): ColumnDef => ({
  name,
  type,
  nullable,
  description,
});

/** Columns of the activity files, in file order. Partition columns (`class`, `dt`) are not in the files. */
export const ACTIVITY_COLUMNS = [
  col('event_id', 'string', false, 'Deterministic id: same input event, same id'),
  col('event_time', 'timestamp', false, 'Statement start if known, else logTime (UTC, µs)'),
  col('log_time', 'timestamp', false, 'When the engine logged the event (UTC, µs)'),
  col('end_time', 'timestamp', true, 'Statement end, when the engine reports it'),
  col('engine', 'string', false, 'postgresql, mysql, oracle or sqlserver'),
  col('resource_id', 'string', false, 'cluster-… or db-… (the KMS encryption-context value)'),
  col('cluster_id', 'string', false, 'clusterId of the record (empty for RDS instances)'),
  col('instance_id', 'string', false, 'instanceId of the record'),
  col('server_host', 'string', false, 'serverHost'),
  col('server_version', 'string', false, 'serverVersion'),
  col('db_user', 'string', false, 'dbUserName'),
  col('database_name', 'string', false, 'databaseName'),
  col('object_type', 'string', true, 'objectType'),
  col('object_name', 'string', true, 'objectName'),
  col('command', 'string', false, "The engine's own command value"),
  col('command_text', 'string', true, 'Full statement text as received'),
  col('param_list', 'string', true, 'Bind parameters as JSON array text'),
  col('row_count', 'int64', true, 'Rows returned or affected'),
  col('exit_code', 'string', true, 'Engine exit code / SQLSTATE as text'),
  col('error_message', 'string', true, 'Error text, when the statement failed'),
  col('failed', 'boolean', false, 'The statement or log-in failed'),
  col('session_id', 'string', true, 'sessionId as text'),
  col('statement_id', 'string', true, 'statementId as text'),
  col('transaction_id', 'string', true, 'transactionId'),
  col('substatement_id', 'int64', true, 'substatementId'),
  col('pid', 'int64', true, 'Backend / thread / OS process id'),
  col('is_aux', 'boolean', false, 'Aurora MySQL AUX companion of a MAIN event'),
  col('remote_host', 'string', true, 'Client address'),
  col('remote_port', 'string', true, 'Client port'),
  col('client_application', 'string', true, 'Client application name'),
  col('net_protocol', 'string', true, 'netProtocol'),
  col('db_protocol', 'string', true, 'dbProtocol'),
  col('das_class', 'string', false, "The stream's own class value"),
  col('das_version', 'string', false, 'The record version'),
  col('raw', 'string', false, 'The original event JSON'),
  col('ingested_at', 'timestamp', false, 'When the ingest wrote the event'),
] as const satisfies readonly ColumnDef[];

export type ActivityColumnName = (typeof ACTIVITY_COLUMNS)[number]['name'];

/** Hive partition columns, in path order. */
export const PARTITION_COLUMNS = [
  { name: 'class', type: 'enum', values: ACTIVITY_CLASSES, description: 'Activity class' },
  { name: 'dt', type: 'date', description: 'UTC day of event_time (YYYY-MM-DD)' },
] as const;

/**
 * One normalised event as the ingest produces it and the writer stores it. Timestamps are
 * carried as microseconds since the epoch (bigint) so no precision is lost between the
 * engine's text and Parquet's TIMESTAMP(MICROS).
 */
export interface ActivityEvent {
  event_id: string;
  event_time: bigint;
  log_time: bigint;
  end_time: bigint | null;
  engine: Engine;
  resource_id: string;
  cluster_id: string;
  instance_id: string;
  server_host: string;
  server_version: string;
  db_user: string;
  database_name: string;
  object_type: string | null;
  object_name: string | null;
  command: string;
  command_text: string | null;
  param_list: string | null;
  row_count: bigint | null;
  exit_code: string | null;
  error_message: string | null;
  failed: boolean;
  session_id: string | null;
  statement_id: string | null;
  transaction_id: string | null;
  substatement_id: bigint | null;
  pid: bigint | null;
  is_aux: boolean;
  remote_host: string | null;
  remote_port: string | null;
  client_application: string | null;
  net_protocol: string | null;
  db_protocol: string | null;
  das_class: string;
  das_version: string;
  raw: string;
  ingested_at: bigint;
}

/** A stored event together with its partition values. */
export interface ClassifiedEvent extends ActivityEvent {
  class: ActivityClass;
}

/** `dt` partition value (UTC day) for a µs timestamp. */
export function dtOf(micros: bigint): string {
  return new Date(Number(micros / 1000n)).toISOString().slice(0, 10);
}

/** Storage key prefixes (relative to the store root). */
export const STORE_PREFIX = {
  activity: 'activity/',
  quarantine: 'quarantine/',
  accessLog: 'access-log/',
  raw: 'raw/',
} as const;

export function activityPartitionPrefix(cls: ActivityClass, dt: string): string {
  return `${STORE_PREFIX.activity}class=${cls}/dt=${dt}/`;
}
