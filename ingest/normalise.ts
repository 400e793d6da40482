import { createHash, hash } from 'node:crypto';
import type { ClassifiedEvent, Engine } from '../lib/audit/schema';
import { classifyEvent } from './classify/index';
import { type DasEventInput, type DasPayload, dasEventSchema, describeIssues } from './payload-schema';
import { parseOptionalTimestamp } from './timestamps';

export interface NormaliseContext {
  /** cluster-… or db-…: the KMS encryption-context value of the stream. */
  resourceId: string;
  /** The outer record's `version`. */
  dasVersion: string;
  ingestedAt: bigint;
}

export type NormalisedItem =
  | { kind: 'heartbeat' }
  | { kind: 'event'; event: ClassifiedEvent }
  | { kind: 'invalid'; index: number; error: string };

/**
 * One item per entry of `databaseActivityEventList`, in order. Never throws for a bad event: it
 * becomes an `invalid` item (the caller quarantines the record with reason `event-invalid`).
 */
export function normalisePayload(payload: DasPayload, ctx: NormaliseContext): NormalisedItem[] {
  const list = payload.databaseActivityEventList;
  const items: NormalisedItem[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) items[i] = normaliseOne(list[i], i, payload, ctx);
  return items;
}

function normaliseOne(
  raw: unknown,
  index: number,
  payload: DasPayload,
  ctx: NormaliseContext,
): NormalisedItem {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { kind: 'invalid', index, error: 'event is not a JSON object' };
  }
  // Only an explicit heartbeat is one: RDS for Oracle omits `type` on its records.
  if ('type' in raw && raw.type === 'heartbeat') return { kind: 'heartbeat' };
  const parsed = dasEventSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'invalid', index, error: describeIssues(parsed.error) };
  const engine = engineOf(parsed.data);
  if (engine === null) {
    return {
      kind: 'invalid',
      index,
      error: 'unknown engine (serverType, dbProtocol and serviceName say none of the four)',
    };
  }
  try {
    return { kind: 'event', event: toEvent(parsed.data, engine, raw, index, payload, ctx) };
  } catch (err) {
    return { kind: 'invalid', index, error: err instanceof Error ? err.message : 'unreadable event' };
  }
}

const ENGINE_MARKERS: readonly (readonly [string, Engine])[] = [
  ['postgres', 'postgresql'],
  ['mysql', 'mysql'],
  ['oracle', 'oracle'],
  ['sqlserver', 'sqlserver'],
  ['sql server', 'sqlserver'],
];

function engineOf(e: DasEventInput): Engine | null {
  for (const field of [e.serverType, e.dbProtocol, e.serviceName]) {
    if (!field) continue;
    const value = field.toLowerCase();
    for (const [marker, engine] of ENGINE_MARKERS) if (value.includes(marker)) return engine;
  }
  return null;
}

// SQLSTATE classes 00 (success), 01 (warning) and 02 (no data) are not failures.
const SQLSTATE_ERROR = /^(?!0[012])[0-9A-Z]{5}$/;

/** The engine's own notion of failure (das-format.md §4.4), besides a non-empty errorMessage. */
const FAILED_BY_CODE = {
  postgresql: (e, code) =>
    e.command === 'AUTH FAILURE' ||
    (code !== null && e.command !== 'DISCONNECT' && SQLSTATE_ERROR.test(code)),
  mysql: (e, code) => e.command === 'FAILED_CONNECT' || (code !== null && code !== '0'),
  oracle: (_e, code) => code !== null && code !== '0',
  // `succeeded`: 1 = the permission check or log-in succeeded, 0 = it failed.
  sqlserver: (e, code) => e.command === 'LOGIN FAILED' || code === '0',
} satisfies Record<Engine, (e: DasEventInput, exitCode: string | null) => boolean>;

const asText = (v: string | number | null | undefined): string | null =>
  v === null || v === undefined ? null : String(v);
const nonEmpty = (v: string | null | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : v;
const asBigInt = (v: number | null | undefined): bigint | null =>
  v === null || v === undefined ? null : BigInt(v);

/**
 * event_id: the first 32 hex digits of SHA-256 over resourceId, instanceId, the event's index in
 * databaseActivityEventList and the event's JSON text, joined by '\n'. The same input event always
 * gets the same id (a retried batch rewrites the same rows); distinct events differ in one of them.
 */
// crypto.hash (one call, no Hash object) is Node ≥ 20.12; package.json allows 20.9.
const sha256Hex: (text: string) => string =
  typeof hash === 'function'
    ? (text) => hash('sha256', text, 'hex')
    : (text) => createHash('sha256').update(text).digest('hex');

export function eventIdOf(resourceId: string, instanceId: string, index: number, rawJson: string): string {
  return sha256Hex(`${resourceId}\n${instanceId}\n${index}\n${rawJson}`).slice(0, 32);
}

function toEvent(
  e: DasEventInput,
  engine: Engine,
  original: object,
  index: number,
  payload: DasPayload,
  ctx: NormaliseContext,
): ClassifiedEvent {
  const raw = JSON.stringify(original);
  const logTime = parseOptionalTimestamp(e.logTime);
  if (logTime === null) throw new Error('logTime: not a DAS timestamp');
  const exitCode = nonEmpty(asText(e.exitCode));
  const errorMessage = nonEmpty(e.errorMessage);
  const event: ClassifiedEvent = {
    event_id: eventIdOf(ctx.resourceId, payload.instanceId, index, raw),
    event_time: parseOptionalTimestamp(e.startTime) ?? logTime,
    log_time: logTime,
    end_time: parseOptionalTimestamp(e.endTime),
    engine,
    resource_id: ctx.resourceId,
    cluster_id: payload.clusterId ?? '',
    instance_id: payload.instanceId,
    server_host: e.serverHost ?? '',
    server_version: e.serverVersion ?? '',
    db_user: e.dbUserName ?? '',
    database_name: e.databaseName ?? '',
    // Aurora MySQL (and SQL Server log-ins) send '' for "no object".
    object_type: nonEmpty(e.objectType),
    object_name: nonEmpty(e.objectName),
    command: e.command,
    command_text: e.commandText ?? null,
    param_list: e.paramList ? JSON.stringify(e.paramList) : null,
    row_count: asBigInt(e.rowCount),
    exit_code: exitCode,
    error_message: errorMessage,
    failed: errorMessage !== null || FAILED_BY_CODE[engine](e, exitCode),
    session_id: asText(e.sessionId),
    statement_id: asText(e.statementId),
    transaction_id: asText(e.transactionId),
    substatement_id: asBigInt(e.substatementId),
    pid: asBigInt(e.pid),
    is_aux: engine === 'mysql' && e.class === 'AUX',
    remote_host: e.remoteHost ?? null,
    remote_port: asText(e.remotePort),
    client_application: e.clientApplication ?? null,
    net_protocol: e.netProtocol ?? null,
    db_protocol: e.dbProtocol ?? null,
    das_class: e.class ?? '',
    das_version: ctx.dasVersion,
    raw,
    ingested_at: ctx.ingestedAt,
    class: 'OTHER',
  };
  event.class = classifyEvent(event);
  return event;
}
