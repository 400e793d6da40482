import type { ActivityClass, Engine } from '../../lib/audit/schema';

/** One activity stream: an Aurora cluster (`cluster-…`) or an RDS instance (`db-…`). */
export interface Source {
  /** `cluster-<26 base32>` or `db-<26 base32>`: the KMS encryption-context value. */
  resourceId: string;
  /** `aws-rds-das-` + resourceId. */
  streamName: string;
  engine: Engine;
  /** The records' `clusterId`: the resource id for Aurora, '' for RDS. */
  clusterId: string;
  /** `db-…` ids of the instances whose events travel on this stream. */
  instanceIds: string[];
  /** Outer record `version`: 1.1 PG, 1.2 MySQL, 1.3 Oracle, 1.4 SQL Server. */
  version: string;
}

/** One entry of `databaseActivityEventList`, field names and JSON types as the engine sends them. */
export type DasEvent = Record<string, unknown>;

/** The decrypted (and decompressed) content of one Kinesis record. */
export interface DasPayload {
  type: 'DatabaseActivityMonitoringRecord';
  clusterId: string;
  instanceId: string;
  databaseActivityEventList: DasEvent[];
}

/** One decrypted DAS record (what gets sealed into one Kinesis record). */
export interface GeneratedRecord {
  source: Source;
  /** Records with the same (source, keyEpoch) share one data key. */
  keyEpoch: number;
  /** `{type:'DatabaseActivityMonitoringRecord', clusterId, instanceId, databaseActivityEventList}`. */
  payload: DasPayload;
  /** Audit events in the record (MySQL AUX included, heartbeats excluded). */
  eventCount: number;
  heartbeats: number;
  /** Approximate arrival in the stream (≈ last logTime + a delivery delay). */
  arrival: Date;
  /** The class each event is meant to have (aligned with the event list; null for a heartbeat). */
  classes: (ActivityClass | null)[];
}
