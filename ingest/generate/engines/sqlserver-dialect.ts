/** How RDS for SQL Server clients spell statements (T-SQL; drivers bind as @Pn). */
import type { Dialect } from '../dialect';

const q = (v: string) => `'${v.replace(/'/g, "''")}'`;

export const sqlserverDialect: Dialect = {
  ref: (r, rng) => {
    const x = rng.next();
    if (x < 0.5) return `${r.db.schema}.${r.table.name}`;
    if (x < 0.7) return `[${r.db.name}].[${r.db.schema}].[${r.table.name}]`;
    return r.table.name;
  },
  placeholder: (i) => `@P${i}`,
  bindsInParamList: false,
  limited: (head, order, n) => `SELECT TOP (${n}) ${head} ORDER BY ${order}`,
  recent: (col, days) => `${col} >= DATEADD(day, -${days}, SYSUTCDATETIME())`,
  day: (col) => `CAST(${col} AS date)`,
  str: q,
  bool: (v) => (v === 'true' ? '1' : '0'),
  timestamp: q,
  now: 'SYSUTCDATETIME()',
  explain: null,
  types: {
    id: 'bigint',
    int: 'int',
    text: 'nvarchar(400)',
    money: 'decimal(12,2)',
    ts: 'datetime2',
    bool: 'bit',
  },
  begin: 'BEGIN TRANSACTION',
  commit: 'COMMIT TRANSACTION',
  rollback: 'ROLLBACK TRANSACTION',
  savepoint: null,
  // SET options are not audited; what pools and apps send that is audited are procedure calls.
  sets: ['EXEC sp_reset_connection', "EXEC sp_set_session_context @key = N'tenant', @value = 42"],
  shows: [
    'SELECT @@VERSION',
    'SELECT DB_NAME(), SUSER_SNAME()',
    'SELECT name, state_desc FROM sys.databases',
  ],
  health: [
    ['SELECT 1', 1],
    ['SELECT @@SERVERNAME', 1],
    ['SELECT name, state_desc FROM sys.databases', 6],
    ["SELECT SERVERPROPERTY('ProductVersion')", 1],
  ],
  catalog: [
    'SELECT session_id, login_name, host_name, program_name FROM sys.dm_exec_sessions WHERE is_user_process = 1',
    'SELECT TOP (20) session_id, status, wait_type, blocking_session_id FROM sys.dm_exec_requests',
    "SELECT name, type_desc FROM sys.database_principals WHERE type IN ('S', 'U', 'R')",
    'SELECT * FROM msdb.dbo.rds_fn_task_status(NULL, 0)',
  ],
  maintenance: (_ref, r, rng) =>
    rng.chance(0.5) ? `DBCC CHECKTABLE ('${r.db.schema}.${r.table.name}')` : 'EXEC sp_updatestats',
  call: (_db, rng) =>
    `EXEC dbo.${rng.pick(['usp_close_period', 'usp_rebuild_indexes', 'usp_sync_payroll'])} @period = '${rng.int(2023, 2025)}-${String(rng.int(1, 12)).padStart(2, '0')}'`,
  use: () => null,
  bulkLoad: (ref, r) =>
    `BULK INSERT ${ref} FROM 'D:\\S3\\imports\\${r.table.name}.csv' WITH (FORMAT = 'CSV', FIRSTROW = 2)`,
  upsert: (ref, cols, vals, key) => {
    const set = cols[1] ?? key;
    return `MERGE ${ref} AS t USING (VALUES (${vals.join(', ')})) AS s (${cols.join(', ')}) ON t.${key} = s.${key} WHEN MATCHED THEN UPDATE SET ${set} = s.${set} WHEN NOT MATCHED THEN INSERT (${cols.join(', ')}) VALUES (${cols.map((c) => `s.${c}`).join(', ')});`;
  },
  principal: (name) => `[${name}]`,
  createRole: (name) => `CREATE ROLE [${name}]`,
  // SQL Server audit masks passwords in the statement text.
  createUser: (name) => `CREATE LOGIN [${name}] WITH PASSWORD = '******'`,
  grantRole: (role, grantee) => `ALTER ROLE [${role}] ADD MEMBER ${grantee}`,
  addColumn: (ref, col, type) => `ALTER TABLE ${ref} ADD ${col} ${type}`,
  rename: () => null,
  dropTable: (ref) => `DROP TABLE IF EXISTS ${ref}`,
  dropIndex: (name, tableRef) => `DROP INDEX ${name} ON ${tableRef}`,
  truncate: (ref) => `TRUNCATE TABLE ${ref}`,
  comment: () => null,
  name: (n) => n.toLowerCase(),
};
