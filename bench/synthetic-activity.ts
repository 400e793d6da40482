import type { ActivityEvent, Engine } from '../lib/audit/schema';

/**
 * Plausible synthetic activity rows for benchmarks: repeated users, databases and hosts, varied
 * SQL text (~100–400 chars) and a ~800-char raw JSON per event. Deterministic for a given seed.
 */

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USERS = [
  'app_orders',
  'app_billing',
  'etl_loader',
  'reporting_ro',
  'alice',
  'bob',
  'dba_admin',
  'svc_api',
];
const DATABASES = ['orders', 'billing', 'inventory', 'analytics', 'postgres', 'customers'];
const TABLES = [
  'orders',
  'order_items',
  'customers',
  'invoices',
  'payments',
  'shipments',
  'products',
  'audit_log',
];
const COLUMNS = [
  'id',
  'customer_id',
  'status',
  'amount',
  'created_at',
  'updated_at',
  'sku',
  'quantity',
  'note',
];
const ENGINES: readonly Engine[] = ['postgresql', 'mysql', 'oracle', 'sqlserver'];
const APPS = ['psql', 'JDBC', 'node-postgres', 'mysql-connector', 'SQL Developer', 'dbeaver', null];

function pick<T>(rand: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function makeSql(rand: () => number): { command: string; text: string; table: string } {
  const table = pick(rand, TABLES);
  const cols = Array.from({ length: 2 + Math.floor(rand() * 6) }, () => pick(rand, COLUMNS));
  const where = Array.from(
    { length: 1 + Math.floor(rand() * 4) },
    () => `${pick(rand, COLUMNS)} = ${Math.floor(rand() * 1e6)}`,
  ).join(' AND ');
  const kind = rand();
  if (kind < 0.6) {
    const join = rand() < 0.5 ? ` JOIN ${pick(rand, TABLES)} t2 ON t2.id = t.${pick(rand, COLUMNS)}` : '';
    const text = `SELECT ${cols.map((c) => `t.${c}`).join(', ')} FROM ${table} t${join} WHERE ${where} ORDER BY t.${pick(rand, COLUMNS)} DESC LIMIT ${10 + Math.floor(rand() * 990)}`;
    return { command: 'SELECT', text, table };
  }
  if (kind < 0.8) {
    const values = cols.map(() => `'${Math.floor(rand() * 1e9).toString(36)}'`).join(', ');
    return { command: 'INSERT', text: `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${values})`, table };
  }
  if (kind < 0.95) {
    const sets = cols.map((c) => `${c} = '${Math.floor(rand() * 1e9).toString(36)}'`).join(', ');
    return { command: 'UPDATE', text: `UPDATE ${table} SET ${sets} WHERE ${where}`, table };
  }
  return {
    command: 'ALTER TABLE',
    text: `ALTER TABLE ${table} ADD COLUMN c_${Math.floor(rand() * 1e6)} text`,
    table,
  };
}

export function makeSyntheticEvents(count: number, seed = 42): ActivityEvent[] {
  const rand = mulberry32(seed);
  const start = 1_795_564_800_000_000n; // 2026-11-25T00:00:00Z in µs
  return Array.from({ length: count }, (_, i) => {
    const engine = pick(rand, ENGINES);
    const user = pick(rand, USERS);
    const database = pick(rand, DATABASES);
    const sql = makeSql(rand);
    const failed = rand() < 0.03;
    // Mostly increasing times with local disorder, as records arrive from several shards.
    const eventTime = start + BigInt(i * 3000 + Math.floor(rand() * 50_000));
    const pid = BigInt(1000 + Math.floor(rand() * 400));
    const host = `10.0.${Math.floor(rand() * 4)}.${10 + Math.floor(rand() * 40)}`;
    const params = rand() < 0.3 ? JSON.stringify([String(Math.floor(rand() * 1e6)), 'pending']) : null;
    const nativeEvent = {
      class: 'Statement',
      clientApplication: pick(rand, APPS),
      command: sql.command,
      commandText: sql.text,
      databaseName: database,
      dbProtocol: 'Postgres 3.0',
      dbUserName: user,
      errorMessage: failed ? 'permission denied for table' : null,
      exitCode: failed ? '42501' : null,
      logTime: new Date(Number(eventTime / 1000n)).toISOString(),
      netProtocol: 'TCP',
      objectName: sql.table,
      objectType: 'TABLE',
      paramList: params ? JSON.parse(params) : [],
      pid: Number(pid),
      remoteHost: host,
      remotePort: String(40000 + Math.floor(rand() * 20000)),
      rowCount: Math.floor(rand() * 500),
      serverHost: '172.31.5.17',
      serverType: 'PostgreSQL',
      serviceName: 'Amazon Aurora PostgreSQL-Compatible edition',
      sessionId: `${Math.floor(rand() * 1e8).toString(16)}.${pid}`,
      startTime: new Date(Number(eventTime / 1000n)).toISOString(),
      statementId: Math.floor(rand() * 1e5),
      substatementId: 1,
      transactionId: String(Math.floor(rand() * 1e7)),
      type: 'record',
    };
    return {
      event_id: `${engine}-${seed}-${i.toString(36)}-${Math.floor(rand() * 1e9).toString(36)}`,
      event_time: eventTime,
      log_time: eventTime + 120n,
      end_time: rand() < 0.7 ? eventTime + BigInt(Math.floor(rand() * 20_000)) : null,
      engine,
      resource_id: `cluster-${engine.toUpperCase()}ABCDEFGHIJKLMNOP`,
      cluster_id: `${engine}-prod-cluster`,
      instance_id: `db-${engine.toUpperCase()}INSTANCE${Math.floor(rand() * 3)}`,
      server_host: '172.31.5.17',
      server_version: '16.4.2',
      db_user: user,
      database_name: database,
      object_type: 'TABLE',
      object_name: sql.table,
      command: sql.command,
      command_text: sql.text,
      param_list: params,
      row_count: rand() < 0.9 ? BigInt(Math.floor(rand() * 500)) : null,
      exit_code: failed ? '42501' : null,
      error_message: failed ? 'permission denied for table' : null,
      failed,
      session_id: nativeEvent.sessionId,
      statement_id: String(nativeEvent.statementId),
      transaction_id: nativeEvent.transactionId,
      substatement_id: 1n,
      pid,
      is_aux: false,
      remote_host: host,
      remote_port: nativeEvent.remotePort,
      client_application: nativeEvent.clientApplication,
      net_protocol: 'TCP',
      db_protocol: 'Postgres 3.0',
      das_class: 'Statement',
      das_version: '1.2',
      raw: JSON.stringify(nativeEvent),
      ingested_at: start + 86_400_000_000n,
    };
  });
}
