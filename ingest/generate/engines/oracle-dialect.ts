/** How RDS for Oracle clients spell statements (JDBC binds as :n, upper-case object names). */
import type { Dialect } from '../dialect';

const q = (v: string) => `'${v.replace(/'/g, "''")}'`;

export const oracleDialect: Dialect = {
  ref: (r, rng) => {
    const x = rng.next();
    if (x < 0.6) return `${r.db.schema}.${r.table.name}`;
    if (x < 0.8) return `${r.db.schema.toLowerCase()}.${r.table.name.toLowerCase()}`;
    return r.table.name.toLowerCase();
  },
  placeholder: (i) => `:${i}`,
  bindsInParamList: false,
  limited: (head, order, n) => `SELECT ${head} ORDER BY ${order} FETCH FIRST ${n} ROWS ONLY`,
  recent: (col, days) => `${col} >= SYSDATE - ${days}`,
  day: (col) => `TRUNC(${col})`,
  str: q,
  bool: (v) => (v === 'true' ? '1' : '0'),
  timestamp: (v) => (v.length === 10 ? `DATE '${v}'` : `TIMESTAMP '${v}'`),
  now: 'SYSTIMESTAMP',
  explain: 'EXPLAIN PLAN FOR ',
  types: {
    id: 'NUMBER(19)',
    int: 'NUMBER(10)',
    text: 'VARCHAR2(4000)',
    money: 'NUMBER(12,2)',
    ts: 'TIMESTAMP',
    bool: 'NUMBER(1)',
  },
  // Oracle opens transactions implicitly: no BEGIN is ever audited.
  begin: null,
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  savepoint: (name) => `SAVEPOINT ${name.toUpperCase()}`,
  sets: [
    "CALL DBMS_APPLICATION_INFO.SET_MODULE('orders-api', NULL)",
    "CALL DBMS_SESSION.SET_IDENTIFIER('web-42')",
  ],
  shows: [
    'SELECT banner_full FROM v$version',
    'SELECT name, open_mode, database_role FROM v$database',
    'SELECT * FROM user_role_privs',
    'SELECT * FROM session_privs',
  ],
  health: [
    ['SELECT 1 FROM DUAL', 1],
    ['SELECT STATUS FROM V$INSTANCE', 1],
    ['SELECT NAME, OPEN_MODE, DATABASE_ROLE FROM V$DATABASE', 1],
    ['SELECT COUNT(*) FROM DBA_DATA_FILES', 1],
  ],
  catalog: [
    "SELECT username, status, machine, program FROM v$session WHERE type = 'USER'",
    'SELECT tablespace_name, ROUND(used_percent, 1) FROM dba_tablespace_usage_metrics',
    "SELECT owner, object_name, object_type FROM dba_objects WHERE status = 'INVALID'",
    "SELECT grantee, granted_role FROM dba_role_privs WHERE grantee NOT IN ('SYS', 'SYSTEM')",
  ],
  maintenance: (ref, r, rng) =>
    rng.chance(0.7)
      ? `CALL DBMS_STATS.GATHER_TABLE_STATS('${r.db.schema}', '${r.table.name}')`
      : `ANALYZE TABLE ${ref} VALIDATE STRUCTURE`,
  call: (db, rng) =>
    `CALL ${db.schema}.${rng.pick(['PKG_BILLING.CLOSE_PERIOD', 'PKG_ORDERS.PURGE_EXPIRED', 'PKG_HR.SYNC_DIRECTORY'])}(${rng.int(1, 12)})`,
  use: () => null,
  bulkLoad: (ref, r) => `INSERT /*+ APPEND */ INTO ${ref} SELECT * FROM ${r.db.schema}.${r.table.name}_STAGE`,
  upsert: (ref, cols, vals, key) => {
    const src = cols.map((c, i) => `${vals[i] ?? 'NULL'} AS ${c}`).join(', ');
    const set = cols[1] ?? key;
    return `MERGE INTO ${ref} t USING (SELECT ${src} FROM dual) s ON (t.${key} = s.${key}) WHEN MATCHED THEN UPDATE SET t.${set} = s.${set} WHEN NOT MATCHED THEN INSERT (${cols.join(', ')}) VALUES (${cols.map((c) => `s.${c}`).join(', ')})`;
  },
  principal: (name) => name.toUpperCase(),
  createRole: (name) => `CREATE ROLE ${name}`,
  createUser: (name) => `CREATE USER ${name} IDENTIFIED EXTERNALLY`,
  grantRole: (role, grantee) => `GRANT ${role} TO ${grantee}`,
  addColumn: (ref, col, type) => `ALTER TABLE ${ref} ADD (${col} ${type})`,
  rename: (ref, newName) => `ALTER TABLE ${ref} RENAME TO ${newName}`,
  dropTable: (ref) => `DROP TABLE ${ref} PURGE`,
  dropIndex: (name) => `DROP INDEX ${name}`,
  truncate: (ref) => `TRUNCATE TABLE ${ref}`,
  comment: (ref, text) => `COMMENT ON TABLE ${ref} IS ${q(text)}`,
  name: (n) => n.toUpperCase(),
};
