/** How Aurora MySQL clients spell statements (literals inline: the audit log shows no binds). */
import type { Dialect } from '../dialect';

const q = (v: string) => `'${v.replace(/'/g, "''")}'`;

export const mysqlDialect: Dialect = {
  ref: (r, rng) => {
    const x = rng.next();
    if (x < 0.6) return r.table.name;
    if (x < 0.8) return `\`${r.table.name}\``;
    return `${r.db.name}.${r.table.name}`;
  },
  placeholder: () => null,
  bindsInParamList: false,
  limited: (head, order, n) => `SELECT ${head} ORDER BY ${order} LIMIT ${n}`,
  recent: (col, days) => `${col} >= NOW() - INTERVAL ${days} DAY`,
  day: (col) => `DATE(${col})`,
  str: q,
  bool: (v) => (v === 'true' ? '1' : '0'),
  timestamp: q,
  now: 'NOW()',
  explain: 'EXPLAIN ',
  types: {
    id: 'BIGINT UNSIGNED',
    int: 'INT',
    text: 'VARCHAR(255)',
    money: 'DECIMAL(12,2)',
    ts: 'DATETIME(6)',
    bool: 'TINYINT(1)',
  },
  begin: 'START TRANSACTION',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  savepoint: (name) => `SAVEPOINT ${name}`,
  sets: [
    'SET NAMES utf8mb4',
    'SET autocommit=1',
    'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
    'SET @@session.max_execution_time = 30000',
    "SET sql_mode='STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION'",
    'SET character_set_results = NULL',
  ],
  shows: [
    'SHOW TABLES',
    'SHOW PROCESSLIST',
    "SHOW VARIABLES LIKE '%timeout%'",
    'SHOW ENGINE INNODB STATUS',
    'SELECT @@version',
  ],
  health: [
    ["show status like 'server_aurora_das_%'", 4],
    ['SELECT 1', 1],
    ['SELECT @@aurora_version', 1],
    ['select @@innodb_read_only', 1],
    ['SELECT server_id, durable_lsn, replica_lag_in_msec FROM information_schema.replica_host_status', 2],
  ],
  catalog: [
    "SELECT id, user, host, db, command, time FROM information_schema.processlist WHERE command <> 'Sleep'",
    'SELECT table_name, table_rows, data_length FROM information_schema.tables WHERE table_schema = DATABASE()',
    'SELECT user, host, account_locked FROM mysql.user',
    'SHOW GRANTS FOR CURRENT_USER()',
  ],
  maintenance: (ref, _r, rng) => (rng.chance(0.7) ? `ANALYZE TABLE ${ref}` : `OPTIMIZE TABLE ${ref}`),
  call: (db, rng) =>
    `CALL ${db.name}.${rng.pick(['refresh_stock_cache', 'rebuild_search_index', 'close_day'])}()`,
  use: (db) => `USE ${db.name}`,
  bulkLoad: (ref, r) =>
    `LOAD DATA FROM S3 's3://dasboard-demo-imports/${r.table.name}/latest.csv' INTO TABLE ${ref} FIELDS TERMINATED BY ',' IGNORE 1 LINES`,
  upsert: (ref, cols, vals) =>
    `INSERT INTO ${ref} (${cols.join(', ')}) VALUES (${vals.join(', ')}) ON DUPLICATE KEY UPDATE ${cols[1] ?? 'id'} = VALUES(${cols[1] ?? 'id'})`,
  principal: (name) => `'${name}'@'%'`,
  createRole: (name) => `CREATE ROLE '${name}'`,
  // MySQL rewrites the password of a logged CREATE USER to <secret>.
  createUser: (name) => `CREATE USER '${name}'@'%' IDENTIFIED BY <secret>`,
  grantRole: (role, grantee) => `GRANT '${role}' TO ${grantee}`,
  addColumn: (ref, col, type) => `ALTER TABLE ${ref} ADD COLUMN ${col} ${type}`,
  rename: (ref, newName) => `RENAME TABLE ${ref} TO ${newName}`,
  dropTable: (ref) => `DROP TABLE IF EXISTS ${ref}`,
  dropIndex: (name, tableRef) => `DROP INDEX ${name} ON ${tableRef}`,
  truncate: (ref) => `TRUNCATE TABLE ${ref}`,
  comment: (ref, text) => `ALTER TABLE ${ref} COMMENT = ${q(text)}`,
  name: (n) => n.toLowerCase(),
};
