/**
 * Who connects when, and how they behave: session kinds weighted by hour, weekday, migration
 * window and instance role; their length, pacing, error rate and client identity.
 */
import type { Engine } from '../../lib/audit/schema';
import type { DatabaseDef, InstancePlan, SourcePlan, UserDef, UserKind } from './catalog';
import { HUMAN_APPS } from './catalog-data';
import type { Rng } from './random';
import { dayOfWeek, hourOfDay, isWeekend } from './timeline';

/** A session kind: a user kind, or a burst of failed log-ins (attack) / one mistyped password (typo). */
export type SessionKind = UserKind | 'attack' | 'typo';

const KINDS: readonly SessionKind[] = [
  'app',
  'reporting',
  'human',
  'dba',
  'etl',
  'migration',
  'service',
  'attack',
  'typo',
];

/** Session weights for the time `us` on an instance. */
export function kindWeights(plan: SourcePlan, inst: InstancePlan, us: number): number[] {
  const hour = hourOfDay(us);
  const office = !isWeekend(us) && hour >= 7 && hour < 19 ? 1 : 0.06;
  const night = hour < 5 ? 1 : 0;
  const inWindow = dayOfWeek(us) === plan.migrationDay && hour === plan.migrationHour;
  if (inst.isReader) return [40, 12, 6 * office, 0.5 * office, 0, 0, 18, 0.15, 0.8 * office];
  return [
    48,
    6 * (night ? 0.4 : 1),
    10 * office,
    2 * (office > 0.5 ? 1 : 0.2),
    1.2 * (night ? 4 : 0.3),
    inWindow ? 200 : 0.04,
    18,
    0.4,
    2 * office,
  ];
}

export function pickKind(rng: Rng, weights: readonly number[]): SessionKind {
  let total = 0;
  for (const w of weights) total += w;
  let x = rng.next() * total;
  for (let i = 0; i < weights.length; i += 1) {
    x -= weights[i] ?? 0;
    if (x < 0) return KINDS[i] ?? 'app';
  }
  return 'app';
}

/** Planned number of events (log-in and log-out included). */
export function sessionLength(rng: Rng, kind: SessionKind): number {
  switch (kind) {
    case 'app':
      return 2 + Math.floor(rng.logUniform(1, 60));
    case 'reporting':
      return 2 + rng.int(1, 8);
    case 'human':
      return 2 + Math.floor(rng.logUniform(2, 60));
    case 'dba':
      return 2 + Math.floor(rng.logUniform(2, 30));
    case 'etl':
      return 2 + Math.floor(rng.logUniform(4, 40));
    case 'migration':
      return 2 + rng.int(6, 30);
    case 'service':
      return 2 + rng.int(1, 2);
    case 'attack':
      return rng.int(8, 120);
    case 'typo':
      return 1;
  }
}

const GAP_US: Readonly<Record<SessionKind, number>> = {
  app: 40_000,
  reporting: 3_000_000,
  human: 12_000_000,
  dba: 8_000_000,
  etl: 300_000,
  migration: 150_000,
  service: 3000,
  attack: 800_000,
  typo: 1,
};

/** Pause (µs) before a session's next statement is sent. */
export function thinkTime(rng: Rng, kind: SessionKind): number {
  const mean = kind === 'app' && rng.chance(0.08) ? 2_000_000 : GAP_US[kind];
  return 1 + Math.floor(rng.exp(mean));
}

export const ERROR_RATE: Readonly<Record<UserKind, number>> = {
  app: 0.006,
  reporting: 0.01,
  human: 0.06,
  dba: 0.03,
  etl: 0.01,
  migration: 0.02,
  service: 0,
};

/** Clients that send prepared statements (bind values in PostgreSQL's paramList). */
export function usesBinds(rng: Rng, kind: UserKind): boolean {
  if (kind === 'app') return rng.chance(0.75);
  return kind === 'reporting' || kind === 'etl' ? rng.chance(0.5) : false;
}

const SERVICE_DB: Readonly<Record<Engine, string | null>> = {
  postgresql: 'rdsadmin',
  mysql: 'mysql',
  oracle: null,
  sqlserver: 'master',
};

/** The database service accounts log in to (Aurora's rdsadmin, MySQL's mysql, SQL Server's master). */
export function serviceDatabase(plan: SourcePlan): DatabaseDef {
  const first = plan.databases[0] ?? { domain: 'app', name: 'postgres', schema: 'public', tables: [] };
  const name = SERVICE_DB[plan.engine];
  return name === null ? first : { ...first, name };
}

export interface Identity {
  user: UserDef;
  host: string;
  app: string | null;
  db: DatabaseDef;
}

function fallbackUser(plan: SourcePlan): UserDef {
  const any = plan.usersByKind.app[0] ?? plan.usersByKind.human[0];
  if (!any) throw new RangeError(`source ${plan.source.resourceId} has no users`);
  return any;
}

/** Who a session of a kind is: user, client host, client program and database. */
export function identityFor(rng: Rng, plan: SourcePlan, kind: SessionKind, serviceDb: DatabaseDef): Identity {
  if (kind === 'attack') {
    const real = rng.chance(0.3) ? plan.usersByKind.app[0] : undefined;
    const name = real?.name ?? rng.pick(plan.attackTargets);
    const user: UserDef = { ...fallbackUser(plan), name, kind: 'app' };
    const apps = HUMAN_APPS[plan.engine];
    return {
      user,
      host: rng.pick(plan.attackerHosts),
      app: apps[0] ?? null,
      db: plan.databases[0] ?? serviceDb,
    };
  }
  const userKind: UserKind = kind === 'typo' ? 'human' : kind;
  const users = plan.usersByKind[userKind];
  const user = users.length > 0 ? rng.pick(users) : fallbackUser(plan);
  const db =
    userKind === 'service' ? serviceDb : rng.pick(user.databases.length ? user.databases : plan.databases);
  const app = rng.pick(user.apps.length ? user.apps : [null]);
  return { user, host: rng.pick(user.hosts), app: app === null ? null : app.replace('{db}', db.name), db };
}
