/**
 * The simulated fleet: sources (clusters / RDS instances) with their instances, databases,
 * tables, users, client programs and hosts. Built once per run from the seed; everything the
 * per-event code needs is precomputed here.
 */
import type { Engine } from '../../lib/audit/schema';
import {
  ATTACK_TARGETS,
  CLUSTER_NAMES,
  HUMAN_APPS,
  HUMANS,
  SERVER_VERSIONS,
  SERVICE_NAMES,
  USER_SPECS,
  type UserKind,
} from './catalog-data';
import { type DatabaseDef, databasesFor } from './catalog-tables';
import { hash32, Rng } from './random';
import type { Source } from './types';

export type { UserKind } from './catalog-data';
export type { ColumnDef, ColumnKind, DatabaseDef, TableDef } from './catalog-tables';

export interface UserDef {
  name: string;
  kind: UserKind;
  databases: readonly DatabaseDef[];
  apps: readonly (string | null)[];
  hosts: readonly string[];
}

export interface InstancePlan {
  instanceId: string;
  name: string;
  serverHost: string;
  isReader: boolean;
  weight: number;
}

export interface SourcePlan {
  index: number;
  source: Source;
  engine: Engine;
  databases: readonly DatabaseDef[];
  usersByKind: Readonly<Record<UserKind, readonly UserDef[]>>;
  instances: readonly InstancePlan[];
  serverVersion: string;
  serviceName: string;
  /** Oracle DBID (string of digits). */
  dbid: string;
  /** SQL Server: include `engineNativeAuditFields` (the stream was started with that flag). */
  nativeFields: boolean;
  /** SQL Server host name in native fields (EC2AMAZ-…). */
  hostName: string;
  weight: number;
  /** Weekly migration window (UTC day of week, hour). */
  migrationDay: number;
  migrationHour: number;
  attackerHosts: readonly string[];
  attackTargets: readonly string[];
}

const ENGINE_ORDER: readonly Engine[] = ['postgresql', 'mysql', 'oracle', 'sqlserver'];
const VERSION: Readonly<Record<Engine, string>> = {
  postgresql: '1.1',
  mysql: '1.2',
  oracle: '1.3',
  sqlserver: '1.4',
};
const SOURCE_WEIGHT: Readonly<Record<Engine, number>> = {
  postgresql: 1,
  mysql: 0.8,
  oracle: 0.45,
  sqlserver: 0.45,
};

function ipPool(rng: Rng, prefix: string, count: number): string[] {
  return Array.from({ length: count }, () => `${prefix}.${rng.int(4, 250)}`);
}

function humanName(engine: Engine, name: string): string {
  return engine === 'oracle' ? name.replace('.', '_').toUpperCase() : name;
}

function buildUsers(
  engine: Engine,
  rng: Rng,
  dbs: readonly DatabaseDef[],
  octet: number,
): Record<UserKind, UserDef[]> {
  const byKind: Record<UserKind, UserDef[]> = {
    app: [],
    reporting: [],
    human: [],
    dba: [],
    etl: [],
    migration: [],
    service: [],
  };
  const pick = (idx: readonly number[]) =>
    idx.length === 0
      ? dbs
      : idx.map((i) => dbs[i % dbs.length]).filter((d): d is DatabaseDef => d !== undefined);
  const hostsFor: Record<UserKind, () => string[]> = {
    app: () => ipPool(rng, `10.${octet}.1`, 6),
    reporting: () => ipPool(rng, `10.${octet}.4`, 2),
    etl: () => ipPool(rng, `10.${octet}.5`, 2),
    migration: () => ipPool(rng, `10.${octet}.6`, 1),
    dba: () => [`10.${octet}.0.10`, `10.${octet}.0.11`],
    human: () => [],
    service: () => [
      engine === 'sqlserver' ? 'local machine' : engine === 'oracle' ? `10.${octet}.2.11` : 'localhost',
    ],
  };
  for (const [name, kind, dbIdx, apps] of USER_SPECS[engine]) {
    byKind[kind].push({ name, kind, databases: pick(dbIdx), apps, hosts: hostsFor[kind]() });
  }
  for (const human of HUMANS) {
    // A person keeps their VPN address across clusters.
    const h = hash32(human);
    const hosts = [
      `10.200.${(h >>> 8) & 63}.${(h & 0xff) % 240 || 7}`,
      `10.201.${(h >>> 16) & 63}.${(h >>> 24) % 240 || 9}`,
    ];
    byKind.human.push({
      name: humanName(engine, human),
      kind: 'human',
      databases: dbs,
      apps: HUMAN_APPS[engine],
      hosts,
    });
  }
  return byKind;
}

function buildInstances(engine: Engine, rng: Rng, name: string, octet: number): InstancePlan[] {
  const aurora = engine === 'postgresql' || engine === 'mysql';
  const count = aurora ? 2 : 1;
  return Array.from({ length: count }, (_, i) => ({
    instanceId: `db-${rng.base32(26)}`,
    name: aurora ? `${name}-instance-${i + 1}` : name,
    serverHost: engine === 'mysql' ? `${name}-instance-${i + 1}` : `10.${octet}.${2 + i}.${rng.int(10, 250)}`,
    isReader: i > 0,
    weight: i === 0 ? 0.72 : 0.28,
  }));
}

function buildSource(seed: number, index: number): SourcePlan {
  const engine = ENGINE_ORDER[index % ENGINE_ORDER.length] ?? 'postgresql';
  const engineIndex = Math.floor(index / ENGINE_ORDER.length);
  const rng = new Rng(seed, 1000 + index);
  const aurora = engine === 'postgresql' || engine === 'mysql';
  const names = CLUSTER_NAMES[engine];
  const base = names[engineIndex % names.length] ?? engine;
  const name = engineIndex < names.length ? base : `${base}-${engineIndex + 1}`;
  const octet = (index * 8) % 192;
  const resourceId = aurora ? `cluster-${rng.base32(26)}` : '';
  const instances = buildInstances(engine, rng, name, octet);
  const sourceId = aurora ? resourceId : (instances[0]?.instanceId ?? `db-${rng.base32(26)}`);
  const databases = databasesFor(engine, engineIndex);
  const versions = SERVER_VERSIONS[engine];
  const services = SERVICE_NAMES[engine];
  return {
    index,
    source: {
      resourceId: sourceId,
      streamName: `aws-rds-das-${sourceId}`,
      engine,
      clusterId: aurora ? sourceId : '',
      instanceIds: instances.map((i) => i.instanceId),
      version: VERSION[engine],
    },
    engine,
    databases,
    usersByKind: buildUsers(engine, rng, databases, octet),
    instances,
    serverVersion: versions[engineIndex % versions.length] ?? '1',
    serviceName: services[engineIndex % services.length] ?? engine,
    dbid: String(rng.int(1_000_000_000, 4_200_000_000)),
    nativeFields: engine === 'sqlserver' && engineIndex === 0,
    hostName: `EC2AMAZ-${rng.base32(7)}`,
    weight: SOURCE_WEIGHT[engine] * (engineIndex === 0 ? 1 : 0.6 + rng.next() * 0.6),
    migrationDay: 1 + ((index * 3) % 5),
    migrationHour: 1 + (index % 3),
    attackerHosts: [`10.${octet}.7.${rng.int(10, 250)}`, `10.99.${rng.int(0, 255)}.${rng.int(1, 254)}`],
    attackTargets: ATTACK_TARGETS[engine],
  };
}

/** The fleet for a seed: `clusters` sources (at least 4), engines in turn PG, MySQL, Oracle, SQL Server. */
export function buildFleet(seed: number, clusters: number): SourcePlan[] {
  const n = Math.max(4, Math.floor(clusters));
  return Array.from({ length: n }, (_, i) => buildSource(seed, i));
}
