import type { ActivityClass, ClassifiedEvent, Engine } from './schema';

/**
 * Synthetic test data (no real audit data): `makeActivityEvent(overrides)` for one event and
 * `makeFixtureEvents()` for the shared dataset the query tests run against. Deterministic.
 */

export const FIXTURE_BASE_MICROS = Date.UTC(2026, 0, 10, 0, 0, 0) * 1000;
const MINUTE = 60_000_000;

/** Literals planted in statement text and bind parameters; masked output must never contain them. */
export const FIXTURE_LITERALS = ['s3cr3t-literal', '424242', 'alice@example.test', 'p@ssw0rd-9'] as const;

let sequence = 0;

export function makeActivityEvent(overrides: Partial<ClassifiedEvent> = {}): ClassifiedEvent {
  sequence += 1;
  const eventTime = overrides.event_time ?? BigInt(FIXTURE_BASE_MICROS + sequence * 1000);
  const engine: Engine = overrides.engine ?? 'postgresql';
  const base: ClassifiedEvent = {
    event_id: `evt-${String(sequence).padStart(6, '0')}`,
    event_time: eventTime,
    log_time: eventTime,
    end_time: null,
    engine,
    resource_id: 'cluster-FIXTUREA',
    cluster_id: 'fixture-a',
    instance_id: 'fixture-a-1',
    server_host: '10.0.0.10',
    server_version: '16.4',
    db_user: 'alice',
    database_name: 'app',
    object_type: 'TABLE',
    object_name: 'public.orders',
    command: 'SELECT',
    command_text: 'SELECT 1',
    param_list: null,
    row_count: 1n,
    exit_code: null,
    error_message: null,
    failed: false,
    session_id: 'sess-1',
    statement_id: String(sequence),
    transaction_id: null,
    substatement_id: 1n,
    pid: 4242n,
    is_aux: false,
    remote_host: '10.1.0.5',
    remote_port: '50000',
    client_application: 'psql',
    net_protocol: 'TCP',
    db_protocol: engine === 'mysql' ? 'MySQL' : 'Postgres 3.0',
    das_class: 'Standard',
    das_version: '1.3',
    raw: '{}',
    ingested_at: eventTime + 5_000_000n,
    class: 'DQL',
  };
  const event = { ...base, ...overrides };
  return {
    ...event,
    raw: overrides.raw ?? JSON.stringify({ commandText: event.command_text, paramList: event.param_list }),
  };
}

export function resetFixtureSequence(): void {
  sequence = 0;
}

const at = (minutes: number, micros = 0): bigint => BigInt(FIXTURE_BASE_MICROS + minutes * MINUTE + micros);

interface Spec {
  readonly cls: ActivityClass;
  readonly command: string;
  readonly text: string | null;
  readonly object?: string | null;
  readonly failed?: boolean;
}

const SPECS: readonly Spec[] = [
  {
    cls: 'DDL',
    command: 'CREATE TABLE',
    text: "CREATE TABLE public.orders (id int DEFAULT 424242, note text DEFAULT 's3cr3t-literal')",
  },
  { cls: 'DDL', command: 'DROP TABLE', text: 'DROP TABLE public.tmp_import', object: 'public.tmp_import' },
  {
    cls: 'DDL',
    command: 'ALTER TABLE',
    text: "ALTER TABLE public.orders ADD COLUMN email text DEFAULT 'alice@example.test'",
    failed: true,
  },
  { cls: 'DML', command: 'INSERT', text: "INSERT INTO public.orders VALUES (424242, 's3cr3t-literal')" },
  { cls: 'DML', command: 'UPDATE', text: "UPDATE public.orders SET note = 'p@ssw0rd-9' WHERE id = 424242" },
  { cls: 'DQL', command: 'SELECT', text: "SELECT * FROM public.orders WHERE note = 's3cr3t-literal'" },
  { cls: 'DCL', command: 'GRANT', text: 'GRANT SELECT ON public.orders TO reporting' },
  { cls: 'DCL', command: 'ALTER ROLE', text: "ALTER ROLE bob PASSWORD 'p@ssw0rd-9'", object: null },
  { cls: 'TCL', command: 'BEGIN', text: 'BEGIN', object: null },
  { cls: 'OTHER', command: 'SET', text: "SET application_name = 's3cr3t-literal'", object: null },
  { cls: 'ERROR', command: 'ERROR', text: null, object: null, failed: true },
];

const USERS = ['alice', 'bob', 'carol', 'rdsadmin'] as const;
const DATABASES = ['app', 'sales', 'app', 'postgres'] as const;
const HOSTS = ['10.1.0.5', '10.1.0.6', '192.168.7.7'] as const;

/**
 * The shared dataset: ~170 events over two UTC days (2026-01-10 and -11) in every class, four
 * users, three databases, two resources, MySQL MAIN/AUX companions, sessions with connect and
 * disconnect, auth failures, and runs of events that share one event_time (keyset ties).
 */
export function makeFixtureEvents(): ClassifiedEvent[] {
  resetFixtureSequence();
  const events: ClassifiedEvent[] = [];
  for (let i = 0; i < 132; i++) {
    const spec = SPECS[i % SPECS.length] ?? SPECS[0];
    if (spec === undefined) continue;
    const u = i % USERS.length;
    // Every fourth event shares its minute's exact timestamp with the previous one: ties on event_time.
    const minute = i * 17 - (i % 4 === 3 ? 17 : 0);
    events.push(
      makeActivityEvent({
        event_time: at(minute),
        class: spec.cls,
        command: spec.command,
        command_text: spec.text,
        object_name: spec.object === undefined ? 'public.orders' : spec.object,
        failed: spec.failed ?? false,
        error_message: spec.failed ? "Duplicate entry 'alice@example.test' for key 'email'" : null,
        db_user: USERS[u] ?? 'alice',
        database_name: DATABASES[u] ?? 'app',
        resource_id: i % 5 === 0 ? 'cluster-FIXTUREB' : 'cluster-FIXTUREA',
        remote_host: HOSTS[i % HOSTS.length] ?? null,
        param_list: spec.cls === 'DML' ? JSON.stringify(['s3cr3t-literal', '424242']) : null,
        session_id: `sess-${Math.floor(i / 11)}`,
      }),
    );
  }
  events.push(...makeSessionEvents(), ...makeMysqlCompanions(), ...makeAuthFailures());
  return events;
}

function makeSessionEvents(): ClassifiedEvent[] {
  const common = {
    session_id: 'sess-life',
    db_user: 'dave',
    database_name: 'app',
    resource_id: 'cluster-FIXTUREA',
  };
  return [
    makeActivityEvent({
      ...common,
      event_time: at(100),
      class: 'CONNECT',
      command: 'CONNECT',
      command_text: null,
      object_name: null,
      row_count: null,
    }),
    makeActivityEvent({
      ...common,
      event_time: at(101),
      class: 'DML',
      command: 'INSERT',
      command_text: 'INSERT INTO t VALUES (1)',
      row_count: 3n,
    }),
    makeActivityEvent({
      ...common,
      event_time: at(102),
      class: 'DQL',
      command: 'SELECT',
      command_text: 'SELECT * FROM t',
      row_count: 7n,
    }),
    makeActivityEvent({
      ...common,
      event_time: at(105),
      class: 'DISCONNECT',
      command: 'DISCONNECT',
      command_text: null,
      object_name: null,
      row_count: null,
    }),
  ];
}

function makeMysqlCompanions(): ClassifiedEvent[] {
  const common = {
    engine: 'mysql' as const,
    resource_id: 'cluster-FIXTUREM',
    session_id: 'mysess-9',
    statement_id: '77',
    db_user: 'erin',
    database_name: 'shop',
  };
  return [
    makeActivityEvent({
      ...common,
      event_time: at(200),
      class: 'DML',
      command: 'QUERY',
      command_text: 'DELETE FROM shop.carts WHERE id = 424242',
      object_name: 'shop.carts',
    }),
    makeActivityEvent({
      ...common,
      event_time: at(200, 5),
      class: 'DML',
      command: 'DELETE',
      command_text: null,
      object_name: 'shop.carts',
      is_aux: true,
    }),
    makeActivityEvent({
      ...common,
      event_time: at(200, 9),
      class: 'DQL',
      command: 'READ',
      command_text: null,
      object_name: 'shop.cart_items',
      is_aux: true,
    }),
    makeActivityEvent({
      ...common,
      event_time: at(230),
      class: 'DML',
      command: 'QUERY',
      command_text: 'DELETE FROM shop.carts WHERE id = 1',
      statement_id: '78',
      object_name: 'shop.carts',
    }),
  ];
}

function makeAuthFailures(): ClassifiedEvent[] {
  return [0, 1, 2, 3, 4, 5].map((k) =>
    makeActivityEvent({
      event_time: at(300 + k * 3),
      class: 'AUTH_FAILURE',
      command: 'AUTH FAILURE',
      command_text: null,
      object_name: null,
      failed: true,
      db_user: k < 4 ? 'mallory' : 'bob',
      remote_host: k < 3 ? '203.0.113.9' : '198.51.100.4',
      row_count: null,
      error_message: 'password authentication failed',
    }),
  );
}
