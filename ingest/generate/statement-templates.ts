/**
 * Read templates (DQL), written once against the Dialect interface: point lookups, lists, joins,
 * aggregates and reports, with literals or binds as a client would send them.
 */
import type { ColumnDef, DatabaseDef, TableDef } from './catalog';
import { columnsOf, enumOf, filterOf, make, moneyOf, type Template, Values } from './template-kit';

export type { Template } from './template-kit';

interface JoinPair {
  child: TableDef;
  parent: TableDef;
  fk: ColumnDef;
}
const joinCache = new WeakMap<DatabaseDef, JoinPair[]>();

function joinsOf(db: DatabaseDef): JoinPair[] {
  const cached = joinCache.get(db);
  if (cached) return cached;
  const pairs: JoinPair[] = [];
  for (const child of db.tables) {
    for (const fk of child.columns.filter((col) => col.kind === 'fk')) {
      const stem = fk.name.replace(/_id$/, '').toLowerCase();
      const parent = db.tables.find((t) => t.name.toLowerCase() === `${stem}s`);
      if (parent && parent !== child) pairs.push({ child, parent, fk });
    }
  }
  joinCache.set(db, pairs);
  return pairs;
}

export const pointLookup: Template = (c, r) => {
  const v = new Values(c);
  const ref = c.d.ref(r, c.rng);
  const text = `SELECT ${columnsOf(r.table, c)} FROM ${ref} WHERE ${r.table.key.name} = ${v.of(r.table.key)}`;
  return make(
    c,
    'select',
    'DQL',
    text,
    { params: v.params, target: r, refText: ref },
    c.rng.chance(0.06) ? 0 : 1,
    80,
    4000,
  );
};

export const filterList: Template = (c, r) => {
  const t = r.table;
  const v = new Values(c);
  const ref = c.d.ref(r, c.rng);
  const f = filterOf(t, c);
  const n = c.rng.pick([10, 20, 50, 100]);
  const order = t.time ? `${t.time.name} DESC` : t.key.name;
  const text = c.d.limited(`${columnsOf(t, c)} FROM ${ref} WHERE ${f.name} = ${v.of(f)}`, order, n);
  return make(
    c,
    'select',
    'DQL',
    text,
    { params: v.params, target: r, refText: ref },
    c.rng.int(0, n),
    300,
    60_000,
  );
};

export const joinRead: Template = (c, r) => {
  const pair = joinsOf(r.db);
  if (pair.length === 0) return filterList(c, r);
  const { child, parent, fk } = c.rng.pick(pair);
  const v = new Values(c);
  const childRef = c.d.ref({ db: r.db, table: child }, c.rng);
  const parentRef = c.d.ref({ db: r.db, table: parent }, c.rng);
  const f = filterOf(child, c);
  const since =
    child.time && c.rng.chance(0.6)
      ? ` AND ${c.d.recent(`c.${child.time.name}`, c.rng.pick([1, 7, 30]))}`
      : '';
  const cols = `p.${parent.columns[1]?.name ?? parent.key.name}, c.${child.key.name}, c.${f.name}`;
  const text = `SELECT ${cols} FROM ${childRef} c JOIN ${parentRef} p ON p.${parent.key.name} = c.${fk.name} WHERE c.${f.name} = ${v.of(f)}${since}`;
  const target = { db: r.db, table: child };
  const fields = { params: v.params, target, refText: childRef, reads: [{ db: r.db, table: parent }] };
  return make(c, 'select', 'DQL', text, fields, c.rng.int(0, 400), 2000, 900_000);
};

export const aggregate: Template = (c, r) => {
  const t = r.table;
  const g = enumOf(t) ?? filterOf(t, c);
  const ref = c.d.ref(r, c.rng);
  const where = t.time ? ` WHERE ${c.d.recent(t.time.name, c.rng.pick([1, 7, 30, 90]))}` : '';
  const text = `SELECT ${g.name}, count(*) AS n FROM ${ref}${where} GROUP BY ${g.name}`;
  return make(
    c,
    'select',
    'DQL',
    text,
    { target: r, refText: ref },
    g.values.length || c.rng.int(2, 40),
    5000,
    4_000_000,
  );
};

export const countRows: Template = (c, r) => {
  const v = new Values(c);
  const ref = c.d.ref(r, c.rng);
  const f = filterOf(r.table, c);
  const text = `SELECT count(*) FROM ${ref} WHERE ${f.name} = ${v.of(f)}`;
  return make(c, 'select', 'DQL', text, { params: v.params, target: r, refText: ref }, 1, 500, 800_000);
};

export const report: Template = (c, r) => {
  const t = r.table;
  const money = moneyOf(t);
  if (!t.time || !money) return aggregate(c, r);
  const ref = c.d.ref(r, c.rng);
  const days = c.rng.pick([7, 30, 90]);
  const day = c.d.day(t.time.name);
  const text = `SELECT ${day} AS day, count(*) AS n, sum(${money.name}) AS total FROM ${ref} WHERE ${c.d.recent(t.time.name, days)} GROUP BY ${day} ORDER BY 1`;
  return make(c, 'select', 'DQL', text, { target: r, refText: ref }, days, 50_000, 20_000_000);
};

export const explain: Template = (c, r) => {
  const inner = filterList(c, r);
  if (c.d.explain === null) return inner;
  return { ...inner, op: 'explain', text: `${c.d.explain}${inner.text}`, rows: c.rng.int(2, 12) };
};

export const show: Template = (c) =>
  make(c, 'show', 'DQL', c.rng.pick(c.d.shows), {}, c.rng.int(1, 40), 100, 5000);
export const catalogQuery: Template = (c) =>
  make(c, 'select', 'DQL', c.rng.pick(c.d.catalog), {}, c.rng.int(1, 80), 500, 200_000);
export const health: Template = (c) => {
  const [text, rows] = c.rng.pick(c.d.health);
  return make(c, 'select', 'DQL', text, {}, rows, 40, 900);
};
