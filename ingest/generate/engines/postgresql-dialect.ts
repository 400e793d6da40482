/** How Aurora PostgreSQL clients spell statements (drivers bind as $n; binds land in paramList). */
import type { Dialect } from '../dialect';

const q = (v: string) => `'${v.replace(/'/g, "''")}'`;

export const postgresDialect: Dialect = {
  ref: (r, rng) =>
    r.db.schema === 'public' && rng.chance(0.6) ? r.table.name : `${r.db.schema}.${r.table.name}`,
  placeholder: (i) => `$${i}`,
  bindsInParamList: true,
  limited: (head, order, n) => `SELECT ${head} ORDER BY ${order} LIMIT ${n}`,
  recent: (col, days) => `${col} >= now() - interval '${days} days'`,
  day: (col) => `date_trunc('day', ${col})`,
  str: q,
  bool: (v) => v,
  timestamp: q,
  now: 'now()',
  explain: 'EXPLAIN ',
  types: {
    id: 'bigint',
    int: 'integer',
    text: 'text',
    money: 'numeric(12,2)',
    ts: 'timestamptz',
    bool: 'boolean',
  },
  begin: 'BEGIN',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  savepoint: (name) => `SAVEPOINT ${name}`,
  sets: [
    'SET search_path TO public',
    "SET statement_timeout = '30s'",
    "SET TIME ZONE 'UTC'",
    'SET extra_float_digits = 3',
    'DISCARD ALL',
    'RESET ALL',
  ],
  shows: ['SHOW search_path', 'SHOW server_version', 'SHOW work_mem', 'SHOW transaction_isolation'],
  health: [
    ['SELECT 1', 1],
    ['select pg_is_in_recovery()', 1],
    ['SELECT aurora_version()', 1],
    ['select server_id, session_id, replica_lag_in_msec from aurora_replica_status()', 2],
  ],
  catalog: [
    "SELECT pid, usename, state, query_start FROM pg_stat_activity WHERE state <> 'idle'",
    'SELECT relname, n_dead_tup FROM pg_stat_user_tables ORDER BY n_dead_tup DESC LIMIT 20',
    'SELECT locktype, relation::regclass, mode, pid FROM pg_locks WHERE NOT granted',
    'SELECT datname, pg_size_pretty(pg_database_size(datname)) FROM pg_database',
    'SELECT rolname, rolcanlogin, rolsuper FROM pg_roles ORDER BY 1',
  ],
  maintenance: (ref, _r, rng) => (rng.chance(0.6) ? `VACUUM (ANALYZE) ${ref}` : `ANALYZE ${ref}`),
  call: (db, rng) =>
    rng.chance(0.5)
      ? `CALL ${db.schema}.refresh_rollups()`
      : `DO $$ BEGIN PERFORM ${db.schema}.purge_expired(${rng.int(7, 90)}); END $$`,
  use: () => null,
  bulkLoad: (ref, r) =>
    `COPY ${ref} (${r.table.columns.map((c) => c.name).join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true)`,
  upsert: (ref, cols, vals, key) =>
    `INSERT INTO ${ref} (${cols.join(', ')}) VALUES (${vals.join(', ')}) ON CONFLICT (${key}) DO UPDATE SET ${cols[1] ?? key} = EXCLUDED.${cols[1] ?? key}`,
  principal: (name) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name}"`),
  createRole: (name) => `CREATE ROLE ${name} NOLOGIN`,
  createUser: (name) => `CREATE USER ${name} WITH LOGIN IN ROLE rds_iam`,
  grantRole: (role, grantee) => `GRANT ${role} TO ${grantee}`,
  addColumn: (ref, col, type) => `ALTER TABLE ${ref} ADD COLUMN ${col} ${type}`,
  rename: (ref, newName) => `ALTER TABLE ${ref} RENAME TO ${newName}`,
  dropTable: (ref) => `DROP TABLE IF EXISTS ${ref}`,
  dropIndex: (name) => `DROP INDEX IF EXISTS ${name}`,
  truncate: (ref) => `TRUNCATE TABLE ${ref}`,
  comment: (ref, text) => `COMMENT ON TABLE ${ref} IS ${q(text)}`,
  name: (n) => n.toLowerCase(),
};
