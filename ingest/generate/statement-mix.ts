/**
 * Who sends what: the class mix of each kind of user and the templates that write each class,
 * then one statement against a table of the session's database (busy tables more often).
 */
import * as a from './admin-templates';
import type { DatabaseDef, TableDef, UserKind } from './catalog';
import { type Rng, WeightedPicker } from './random';
import * as r from './statement-templates';
import type { StatementClass, StatementContext, Stmt } from './statements';
import type { Template } from './template-kit';
import * as w from './write-templates';

const mix = <T>(...entries: (readonly [T, number])[]) => new WeightedPicker(entries);

/** Share of each class in what a kind of user sends (TCL comes from transactions). */
const CLASS_MIX: Readonly<Record<UserKind, WeightedPicker<StatementClass>>> = {
  app: mix(['DQL', 64], ['DML', 30], ['OTHER', 6]),
  reporting: mix(['DQL', 95], ['OTHER', 5]),
  human: mix(['DQL', 74], ['DML', 8], ['DDL', 1.5], ['DCL', 0.4], ['OTHER', 14]),
  dba: mix(['DQL', 38], ['DML', 4], ['DDL', 22], ['DCL', 14], ['OTHER', 22]),
  etl: mix(['DQL', 12], ['DML', 62], ['DDL', 14], ['OTHER', 12]),
  migration: mix(['DQL', 8], ['DML', 8], ['DDL', 80], ['DCL', 4]),
  service: mix(['DQL', 100]),
};

type TemplateMix = Partial<Record<StatementClass, WeightedPicker<Template>>>;

const DCL = mix<Template>(
  [a.grant, 40],
  [a.revoke, 20],
  [a.createRole, 15],
  [a.grantRole, 15],
  [a.createUser, 10],
);

const TEMPLATES: Readonly<Record<UserKind, TemplateMix>> = {
  app: {
    DQL: mix([r.pointLookup, 40], [r.filterList, 30], [r.joinRead, 15], [r.countRows, 10], [r.aggregate, 5]),
    DML: mix(
      [w.insertRow, 35],
      [w.updateByKey, 35],
      [w.upsert, 15],
      [w.updateByFilter, 8],
      [w.deleteByKey, 7],
    ),
    OTHER: mix([a.setting, 100]),
  },
  reporting: {
    DQL: mix([r.report, 35], [r.aggregate, 30], [r.joinRead, 25], [r.countRows, 10]),
    OTHER: mix([a.setting, 100]),
  },
  human: {
    DQL: mix(
      [r.pointLookup, 15],
      [r.filterList, 30],
      [r.joinRead, 15],
      [r.aggregate, 15],
      [r.countRows, 10],
      [r.explain, 5],
      [r.show, 10],
    ),
    DML: mix([w.updateByKey, 50], [w.updateByFilter, 20], [w.insertRow, 20], [w.deleteByKey, 10]),
    DDL: mix([a.createTable, 50], [a.dropTable, 35], [a.createIndex, 15]),
    DCL: mix([a.grant, 100]),
    OTHER: mix([a.setting, 60], [a.useDb, 30], [a.maintenance, 10]),
  },
  dba: {
    DQL: mix([r.catalogQuery, 55], [r.show, 20], [r.countRows, 10], [r.aggregate, 15]),
    DML: mix([w.updateByFilter, 50], [w.deleteByKey, 50]),
    DDL: mix(
      [a.createIndex, 25],
      [a.dropIndex, 10],
      [a.createTable, 15],
      [a.dropTable, 20],
      [a.addColumn, 15],
      [a.createView, 15],
    ),
    DCL,
    OTHER: mix([a.maintenance, 50], [a.setting, 20], [a.callProc, 20], [a.useDb, 10]),
  },
  etl: {
    DQL: mix([r.countRows, 50], [r.aggregate, 50]),
    DML: mix([w.bulkLoad, 25], [w.insertMany, 35], [w.purge, 20], [w.updateByFilter, 20]),
    DDL: mix([a.truncate, 70], [a.createTable, 15], [a.dropTable, 15]),
    OTHER: mix([a.maintenance, 60], [a.callProc, 40]),
  },
  migration: {
    DQL: mix([r.countRows, 100]),
    DML: mix([w.insertMany, 50], [w.updateByFilter, 50]),
    DDL: mix(
      [a.addColumn, 35],
      [a.createIndex, 25],
      [a.createTable, 15],
      [a.createView, 8],
      [a.renameTable, 5],
      [a.dropIndex, 5],
      [a.dropTable, 5],
      [a.commentOn, 2],
    ),
    DCL: mix([a.grant, 100]),
  },
  service: { DQL: mix([r.health, 100]) },
};

/** Picks the class of the next statement for a kind of user (read-only sessions stay on reads). */
export function nextClass(rng: Rng, kind: UserKind, readOnly: boolean): StatementClass {
  const cls = CLASS_MIX[kind].pick(rng);
  if (readOnly && (cls === 'DDL' || cls === 'DCL' || (cls === 'DML' && kind !== 'human'))) return 'DQL';
  return cls;
}

const tablePickers = new WeakMap<DatabaseDef, WeightedPicker<TableDef>>();

// Busy tables get most of the traffic: weight by order of magnitude of their size.
function pickTable(c: StatementContext): TableDef {
  let picker = tablePickers.get(c.db);
  if (!picker) {
    picker = new WeightedPicker(c.db.tables.map((t) => [t, 1 + Math.log10(t.rows)] as const));
    tablePickers.set(c.db, picker);
  }
  return picker.pick(c.rng);
}

/** Builds a statement of a class for a kind of user against a table of the session's database. */
export function buildStatement(c: StatementContext, kind: UserKind, cls: StatementClass): Stmt {
  const picker = TEMPLATES[kind][cls] ?? TEMPLATES[kind].DQL ?? TEMPLATES.app.DQL;
  const template = picker ? picker.pick(c.rng) : r.pointLookup;
  return template(c, { db: c.db, table: pickTable(c) });
}
