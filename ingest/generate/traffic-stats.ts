/** Counts over generated records: what `dasboard generate` reports and what tests compare against. */
import type { ActivityClass, Engine } from '../../lib/audit/schema';
import type { DasEvent, GeneratedRecord } from './types';

export interface TrafficStats {
  /** Audit events (MySQL AUX included, heartbeats excluded). */
  events: number;
  records: number;
  heartbeats: number;
  /** Records holding only heartbeats. */
  heartbeatRecords: number;
  /** Aurora MySQL AUX events (included in `events`). */
  aux: number;
  /** Failed statements (not log-in failures), detected per engine's exit-code semantics. */
  failed: number;
  byEngine: Record<Engine, number>;
  /** Intended class of every audit event (AUX by their own operation). */
  byClass: Record<ActivityClass, number>;
  /** Events per engine `command` value. */
  byCommand: Record<string, number>;
}

export function newTrafficStats(): TrafficStats {
  return {
    events: 0,
    records: 0,
    heartbeats: 0,
    heartbeatRecords: 0,
    aux: 0,
    failed: 0,
    byEngine: { postgresql: 0, mysql: 0, oracle: 0, sqlserver: 0 },
    byClass: {
      DDL: 0,
      DML: 0,
      DQL: 0,
      DCL: 0,
      TCL: 0,
      CONNECT: 0,
      DISCONNECT: 0,
      AUTH_FAILURE: 0,
      ERROR: 0,
      OTHER: 0,
    },
    byCommand: {},
  };
}

/** Did this statement event fail (engine semantics of das-format §4.4)? Log-in failures excluded. */
export function isFailedStatement(engine: Engine, e: DasEvent): boolean {
  switch (engine) {
    case 'postgresql':
      return e.exitCode !== null && e.exitCode !== undefined && e.command !== 'AUTH FAILURE';
    case 'mysql':
      return e.class === 'MAIN' && e.exitCode !== '0' && e.exitCode !== '' && e.command !== 'FAILED_CONNECT';
    case 'oracle':
      return e.exitCode !== 0 && e.command !== 'LOGON';
    case 'sqlserver':
      return e.exitCode === 0 && e.command !== 'LOGIN FAILED';
  }
}

export function addToStats(stats: TrafficStats, record: GeneratedRecord): void {
  const engine = record.source.engine;
  stats.records += 1;
  stats.events += record.eventCount;
  stats.heartbeats += record.heartbeats;
  if (record.eventCount === 0) stats.heartbeatRecords += 1;
  stats.byEngine[engine] += record.eventCount;
  const list = record.payload.databaseActivityEventList;
  for (let i = 0; i < list.length; i += 1) {
    const cls = record.classes[i];
    const e = list[i];
    if (!cls || !e) continue;
    stats.byClass[cls] += 1;
    const command = String(e.command);
    stats.byCommand[command] = (stats.byCommand[command] ?? 0) + 1;
    if (e.class === 'AUX') stats.aux += 1;
    if (isFailedStatement(engine, e)) stats.failed += 1;
  }
}

export function summarizeTraffic(records: Iterable<GeneratedRecord>): TrafficStats {
  const stats = newTrafficStats();
  for (const r of records) addToStats(stats, r);
  return stats;
}
