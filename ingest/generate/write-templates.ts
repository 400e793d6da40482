/** Data-changing templates (DML): single-row writes from applications, bulk work from batch jobs. */
import { enumOf, filterOf, make, moneyOf, type Template, Values } from './template-kit';

export const insertRow: Template = (c, r) => {
  const t = r.table;
  const v = new Values(c);
  const ref = c.d.ref(r, c.rng);
  const cols = t.key.kind === 'id' ? t.columns.slice(1) : t.columns;
  const text = `INSERT INTO ${ref} (${cols.map((col) => col.name).join(', ')}) VALUES (${cols.map((col) => v.of(col)).join(', ')})`;
  return make(c, 'insert', 'DML', text, { params: v.params, target: r, refText: ref }, 1, 200, 12_000);
};

export const insertMany: Template = (c, r) => {
  const t = r.table;
  const v = new Values({ ...c, binds: false });
  const ref = c.d.ref(r, c.rng);
  const cols = t.key.kind === 'id' ? t.columns.slice(1) : t.columns;
  const n = c.rng.int(2, 5);
  const rows = Array.from({ length: n }, () => `(${cols.map((col) => v.of(col)).join(', ')})`);
  const text = `INSERT INTO ${ref} (${cols.map((col) => col.name).join(', ')}) VALUES ${rows.join(', ')}`;
  return make(c, 'insert', 'DML', text, { target: r, refText: ref }, n, 500, 40_000);
};

export const updateByKey: Template = (c, r) => {
  const t = r.table;
  const v = new Values(c);
  const ref = c.d.ref(r, c.rng);
  const f = enumOf(t) ?? moneyOf(t) ?? filterOf(t, c);
  const touch = t.columns.find((col) => col.name === 'updated_at') ? `, updated_at = ${c.d.now}` : '';
  const text = `UPDATE ${ref} SET ${f.name} = ${v.of(f)}${touch} WHERE ${t.key.name} = ${v.of(t.key)}`;
  return make(
    c,
    'update',
    'DML',
    text,
    { params: v.params, target: r, refText: ref },
    c.rng.chance(0.04) ? 0 : 1,
    200,
    20_000,
  );
};

export const updateByFilter: Template = (c, r) => {
  const t = r.table;
  const e = enumOf(t);
  if (!e || !t.time) return updateByKey(c, r);
  const v = new Values(c);
  const ref = c.d.ref(r, c.rng);
  const text = `UPDATE ${ref} SET ${e.name} = ${v.of(e)} WHERE ${e.name} = ${v.of(e)} AND ${t.time.name} < ${v.of(t.time)}`;
  return make(
    c,
    'update',
    'DML',
    text,
    { params: v.params, target: r, refText: ref },
    c.rng.int(0, 2500),
    2000,
    3_000_000,
  );
};

export const deleteByKey: Template = (c, r) => {
  const v = new Values(c);
  const ref = c.d.ref(r, c.rng);
  const text = `DELETE FROM ${ref} WHERE ${r.table.key.name} = ${v.of(r.table.key)}`;
  return make(
    c,
    'delete',
    'DML',
    text,
    { params: v.params, target: r, refText: ref },
    c.rng.chance(0.1) ? 0 : 1,
    200,
    15_000,
  );
};

export const purge: Template = (c, r) => {
  const t = r.table;
  if (!t.time) return deleteByKey(c, r);
  const v = new Values({ ...c, binds: false });
  const ref = c.d.ref(r, c.rng);
  const text = `DELETE FROM ${ref} WHERE ${t.time.name} < ${v.of(t.time)}`;
  return make(
    c,
    'delete',
    'DML',
    text,
    { target: r, refText: ref },
    c.rng.int(0, 60_000),
    50_000,
    30_000_000,
  );
};

export const bulkLoad: Template = (c, r) => {
  const ref = c.d.ref(r, c.rng);
  return make(
    c,
    'bulk_load',
    'DML',
    c.d.bulkLoad(ref, r),
    { target: r, refText: ref },
    c.rng.int(500, 250_000),
    400_000,
    60_000_000,
  );
};

export const upsert: Template = (c, r) => {
  const t = r.table;
  const v = new Values({ ...c, binds: false });
  const ref = c.d.ref(r, c.rng);
  const vals = t.columns.map((col) => v.of(col));
  const text = c.d.upsert(
    ref,
    t.columns.map((col) => col.name),
    vals,
    t.key.name,
  );
  return make(c, 'upsert', 'DML', text, { target: r, refText: ref }, 1, 300, 25_000);
};
