/**
 * The simulated estate's vocabulary: business tables (compact column specs, parsed once by
 * catalog.ts), people and service accounts per engine, client programs and cluster names. All
 * names are invented; the addresses are private (10.x) and never contacted.
 */
import type { Engine } from '../../lib/audit/schema';

/** `name:rows:col kind,col kind(v1|v2)` — kind decides the literals statements put in. */
export const DOMAINS: Readonly<Record<string, readonly string[]>> = {
  sales: [
    'customers:250000:id id,email email,full_name name,country country,status enum(active|pending|blocked),created_at ts',
    'orders:1800000:id id,customer_id fk,status enum(pending|paid|shipped|cancelled|refunded),total money,currency enum(EUR|USD|GBP),created_at ts',
    'order_items:5200000:id id,order_id fk,product_id fk,quantity qty,unit_price money',
    'products:12000:id id,sku code,name word,price money,stock qty,updated_at ts',
    'payments:1700000:id id,order_id fk,amount money,method enum(card|sepa|paypal|invoice),status enum(authorized|captured|failed|refunded),created_at ts',
  ],
  billing: [
    'accounts:40000:id id,name word,plan enum(free|team|pro|enterprise),country country,created_at ts',
    'invoices:900000:id id,account_id fk,number code,amount money,status enum(draft|issued|paid|overdue|void),due_date date',
    'invoice_lines:3100000:id id,invoice_id fk,description word,amount money,quantity qty',
    'ledger_entries:7400000:id id,account_id fk,amount money,kind enum(debit|credit),booked_at ts',
  ],
  hr: [
    'employees:4200:id id,email email,full_name name,department_id fk,title enum(Engineer|Analyst|Manager|Director|Intern),hired_at date',
    'salaries:26000:id id,employee_id fk,amount money,currency enum(EUR|USD),valid_from date',
    'departments:40:id id,name enum(Finance|Engineering|Sales|Support|Legal|People)',
  ],
  analytics: [
    'page_views:48000000:id id,session_id uuid,path path,user_id fk,viewed_at ts',
    'events:31000000:id id,user_id fk,name enum(login|logout|search|add_to_cart|purchase),created_at ts',
    'daily_revenue:2200:day date,amount money,orders qty',
  ],
  app: [
    'users:310000:id id,email email,display_name name,role enum(member|admin|viewer),last_login_at ts',
    'sessions:2400000:id uuid,user_id fk,created_at ts,expires_at ts',
    'feature_flags:180:id id,key code,enabled bool,updated_at ts',
    'audit_log:9000000:id id,actor email,action enum(login|update_profile|export|delete),created_at ts',
  ],
  inventory: [
    'warehouses:24:id id,name word,country country',
    'stock_levels:480000:id id,product_id fk,warehouse_id fk,quantity qty,updated_at ts',
    'shipments:950000:id id,order_id fk,warehouse_id fk,status enum(packed|in_transit|delivered|returned),shipped_at ts',
  ],
};

/** Databases (domain, name, schema) per engine; successive clusters of an engine take the next set. */
export const DATABASE_SETS: Readonly<Record<Engine, readonly (readonly [string, string, string])[][]>> = {
  postgresql: [
    [
      ['sales', 'sales', 'public'],
      ['analytics', 'analytics', 'analytics'],
      ['app', 'app', 'public'],
    ],
    [
      ['billing', 'billing', 'billing'],
      ['hr', 'hr', 'hr'],
    ],
  ],
  mysql: [
    [
      ['sales', 'shop', ''],
      ['inventory', 'inventory', ''],
    ],
    [
      ['app', 'app', ''],
      ['analytics', 'analytics', ''],
    ],
  ],
  oracle: [
    [
      ['sales', 'ORCL', 'APP_SALES'],
      ['billing', 'ORCL', 'FINANCE'],
      ['hr', 'ORCL', 'HR'],
    ],
    [
      ['inventory', 'ERPPRD', 'SCM'],
      ['billing', 'ERPPRD', 'FINANCE'],
    ],
  ],
  sqlserver: [
    [
      ['billing', 'billing', 'dbo'],
      ['hr', 'hr', 'dbo'],
    ],
    [
      ['sales', 'crm', 'dbo'],
      ['app', 'portal', 'dbo'],
    ],
  ],
};

export const CLUSTER_NAMES: Readonly<Record<Engine, readonly string[]>> = {
  postgresql: ['orders-pg', 'billing-pg', 'platform-pg'],
  mysql: ['shop-mysql', 'inventory-mysql', 'web-mysql'],
  oracle: ['erp-ora', 'finance-ora'],
  sqlserver: ['payroll-mssql', 'crm-mssql'],
};

export const HUMANS = ['alice.ng', 'bob.kumar', 'carol.diaz', 'dmitri.volkov', 'emma.schulz', 'farid.haddad'];

export type UserKind = 'app' | 'reporting' | 'human' | 'dba' | 'etl' | 'migration' | 'service';

/** [name, kind, database indexes (modulo the cluster's count; empty = all), client programs]. */
export type UserSpec = readonly [string, UserKind, readonly number[], readonly (string | null)[]];

export const USER_SPECS: Readonly<Record<Engine, readonly UserSpec[]>> = {
  postgresql: [
    ['orders_api', 'app', [0], ['orders-api', 'PostgreSQL JDBC Driver']],
    ['app_backend', 'app', [2, 0], ['api-gateway', 'node-postgres']],
    ['events_ingest', 'app', [1], ['events-collector']],
    ['metabase_ro', 'reporting', [0, 1], ['Metabase v0.50.4']],
    ['etl_loader', 'etl', [1, 0], ['airflow-worker', 'psql']],
    ['postgres', 'dba', [], ['psql']],
    ['dba_maria', 'dba', [], ['psql', 'pgAdmin 4 - DB:postgres']],
    ['flyway', 'migration', [0, 2], ['Flyway 10.15.0 by Redgate']],
    ['rdsadmin', 'service', [], [null]],
  ],
  mysql: [
    ['app_checkout', 'app', [0], [null]],
    ['svc_inventory', 'app', [1], [null]],
    ['reporting_ro', 'reporting', [0, 1], [null]],
    ['etl_loader', 'etl', [1, 0], [null]],
    ['admin', 'dba', [], [null]],
    ['dba_ops', 'dba', [], [null]],
    ['liquibase', 'migration', [0], [null]],
    ['rdsadmin', 'service', [], [null]],
  ],
  oracle: [
    ['APP_SALES', 'app', [0], ['JDBC Thin Client']],
    ['APP_FINANCE', 'app', [1], ['JDBC Thin Client', 'finance-batch@app-02 (TNS V1-V3)']],
    ['REPORTING_RO', 'reporting', [0, 1, 2], ['JDBC Thin Client']],
    ['ETL_BATCH', 'etl', [0, 1], ['python3@etl-01 (TNS V1-V3)']],
    ['ADMIN', 'dba', [], ['sqlplus@bastion-01 (TNS V1-V3)', 'SQL Developer']],
    ['DBA_OPS', 'dba', [], ['sqlplus@bastion-01 (TNS V1-V3)']],
    ['LIQUIBASE', 'migration', [0], ['JDBC Thin Client']],
    ['RDSADMIN', 'service', [], ['oracle@ip-10-0-2-11 (J000)', 'JDBC Thin Client']],
  ],
  sqlserver: [
    ['app_payments', 'app', [0], ['Core Microsoft SqlClient Data Provider']],
    ['svc_hr_portal', 'app', [1], ['Microsoft JDBC Driver for SQL Server']],
    ['reporting_ro', 'reporting', [0, 1], ['Microsoft SQL Server Reporting Services']],
    [
      'etl_loader',
      'etl',
      [0, 1],
      ['SQLAgent - TSQL JobStep (Job 0x8C1E) : Step 1', '.Net SqlClient Data Provider'],
    ],
    ['admin', 'dba', [], ['Microsoft SQL Server Management Studio - Query']],
    ['flyway', 'migration', [0], ['Flyway 10.15.0 by Redgate']],
    ['rdsa', 'service', [], ['Microsoft SQL Server Management Studio', 'RDS Monitoring']],
  ],
};

export const HUMAN_APPS: Readonly<Record<Engine, readonly (string | null)[]>> = {
  postgresql: ['psql', 'psql', 'pgAdmin 4 - DB:{db}', 'DBeaver 24.1.0 - Main <{db}>'],
  mysql: [null],
  oracle: ['SQL Developer', 'sqlplus@bastion-01 (TNS V1-V3)', 'DBeaver 24.1.0 - Main'],
  sqlserver: ['Microsoft SQL Server Management Studio - Query', 'azdata-Query', 'DBeaver 24.1.0 - SQLEditor'],
};

/** User names an attacker tries (plus a real account of the cluster). */
export const ATTACK_TARGETS: Readonly<Record<Engine, readonly string[]>> = {
  postgresql: ['postgres', 'admin', 'root'],
  mysql: ['root', 'admin', 'test'],
  oracle: ['SYSTEM', 'ADMIN', 'SCOTT'],
  sqlserver: ['sa', 'admin', 'sqladmin'],
};

export const SERVER_VERSIONS: Readonly<Record<Engine, readonly string[]>> = {
  postgresql: ['16.4', '15.8', '14.13'],
  mysql: ['MySQL 8.0.32', 'MySQL 8.0.36', 'MySQL 5.7.12'],
  oracle: ['19.0.0.0.ru-2024-07.rur-2024-07.r1.EE.1', '19.0.0.0.ru-2024-04.rur-2024-04.r1.EE.2'],
  sqlserver: ['15.00.4385.2.v1.R1', '16.00.4135.4.v1.R1'],
};

export const SERVICE_NAMES: Readonly<Record<Engine, readonly string[]>> = {
  postgresql: ['Amazon Aurora PostgreSQL-Compatible edition'],
  mysql: ['Amazon Aurora MySQL'],
  oracle: ['oracle-ee', 'oracle-se2'],
  sqlserver: ['sqlserver-ee', 'sqlserver-se'],
};
