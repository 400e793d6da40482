import { describe, expect, it } from 'vitest';
import type { ClassifiedEvent } from '../lib/audit/schema';
import type { FilterRule } from '../lib/config/schema';
import { compileFilters, FilterRuleError } from './filters';

function makeEvent(overrides: Partial<ClassifiedEvent> = {}): ClassifiedEvent {
  return {
    event_id: 'e1',
    event_time: 0n,
    log_time: 0n,
    end_time: null,
    engine: 'postgresql',
    resource_id: 'cluster-x',
    cluster_id: 'cluster-x',
    instance_id: 'db-x',
    server_host: 'h',
    server_version: 'v',
    db_user: 'app',
    database_name: 'shop',
    object_type: null,
    object_name: null,
    command: 'SELECT',
    command_text: 'select * from orders',
    param_list: null,
    row_count: null,
    exit_code: null,
    error_message: null,
    failed: false,
    session_id: null,
    statement_id: null,
    transaction_id: null,
    substatement_id: null,
    pid: null,
    is_aux: false,
    remote_host: null,
    remote_port: null,
    client_application: 'psql',
    net_protocol: null,
    db_protocol: null,
    das_class: 'READ',
    das_version: '1.1',
    raw: '{}',
    ingested_at: 0n,
    class: 'DQL',
    ...overrides,
  };
}

describe('compileFilters', () => {
  it('keeps everything without rules', () => {
    // Act
    const filter = compileFilters([]);
    // Assess
    expect(filter(makeEvent())).toBeNull();
  });

  it('drops by class, any of the listed classes', () => {
    // Prepare
    const filter = compileFilters([{ name: 'no-reads', classes: ['DQL', 'TCL'] }]);
    // Act / Assess
    expect(filter(makeEvent({ class: 'DQL' }))).toBe('no-reads');
    expect(filter(makeEvent({ class: 'TCL' }))).toBe('no-reads');
    expect(filter(makeEvent({ class: 'DDL' }))).toBeNull();
  });

  it('matches users exactly but case-insensitively (Oracle reports upper case)', () => {
    // Prepare
    const filter = compileFilters([{ name: 'service-users', users: ['rdsadmin', 'rdssec'] }]);
    // Act / Assess
    expect(filter(makeEvent({ db_user: 'rdsadmin' }))).toBe('service-users');
    expect(filter(makeEvent({ db_user: 'RDSADMIN', engine: 'oracle' }))).toBe('service-users');
    expect(filter(makeEvent({ db_user: 'RDSSEC' }))).toBe('service-users');
    expect(filter(makeEvent({ db_user: 'rdsadmin2' }))).toBeNull();
    expect(filter(makeEvent({ db_user: 'x_rdsadmin' }))).toBeNull();
  });

  it('requires every given criterion (AND)', () => {
    // Prepare
    const filter = compileFilters([
      { name: 'health-checks', users: ['rdsadmin'], databases: ['mysql'], classes: ['DQL'] },
    ]);
    // Act / Assess
    expect(filter(makeEvent({ db_user: 'rdsadmin', database_name: 'mysql', class: 'DQL' }))).toBe(
      'health-checks',
    );
    expect(filter(makeEvent({ db_user: 'rdsadmin', database_name: 'mysql', class: 'DDL' }))).toBeNull();
    expect(filter(makeEvent({ db_user: 'rdsadmin', database_name: 'shop', class: 'DQL' }))).toBeNull();
    expect(filter(makeEvent({ db_user: 'alice', database_name: 'mysql', class: 'DQL' }))).toBeNull();
  });

  it('matches client applications; a missing application never matches', () => {
    // Prepare
    const filter = compileFilters([{ name: 'bench', clientApplications: ['pgbench'] }]);
    // Act / Assess
    expect(filter(makeEvent({ client_application: 'pgbench' }))).toBe('bench');
    expect(filter(makeEvent({ client_application: 'PGBench' }))).toBe('bench');
    expect(filter(makeEvent({ client_application: null }))).toBeNull();
  });

  it('tests textPattern case-insensitively on command_text; null text never matches', () => {
    // Prepare
    const filter = compileFilters([
      { name: 'das-status', textPattern: "^show status like \\\\?'server_aurora_das" },
    ]);
    // Act / Assess
    expect(filter(makeEvent({ command_text: "SHOW STATUS LIKE \\'server_aurora_das_%\\'" }))).toBe(
      'das-status',
    );
    expect(filter(makeEvent({ command_text: "show status like 'server_aurora_das_running'" }))).toBe(
      'das-status',
    );
    expect(filter(makeEvent({ command_text: 'select 1' }))).toBeNull();
    expect(filter(makeEvent({ command_text: null }))).toBeNull();
  });

  it('returns the first rule that drops the event', () => {
    // Prepare
    const rules: FilterRule[] = [
      { name: 'first', users: ['nobody'] },
      { name: 'second', classes: ['DQL'] },
      { name: 'third', databases: ['shop'] },
    ];
    // Act
    const filter = compileFilters(rules);
    // Assess
    expect(filter(makeEvent())).toBe('second');
    expect(filter(makeEvent({ class: 'DML' }))).toBe('third');
  });

  it('is stable across calls (no RegExp lastIndex state)', () => {
    // Prepare
    const filter = compileFilters([{ name: 'orders', textPattern: 'orders' }]);
    // Act
    const results = [1, 2, 3].map(() => filter(makeEvent()));
    // Assess
    expect(results).toEqual(['orders', 'orders', 'orders']);
  });

  it('refuses an invalid regular expression, naming the rule', () => {
    // Act / Assess
    expect(() => compileFilters([{ name: 'broken', textPattern: '(unclosed' }])).toThrow(FilterRuleError);
    expect(() => compileFilters([{ name: 'broken', textPattern: '(unclosed' }])).toThrow(
      /filter rule "broken"/,
    );
  });

  it('refuses a rule without criteria', () => {
    // Act / Assess
    expect(() => compileFilters([{ name: 'empty' }])).toThrow(/filter rule "empty" has no criterion/);
  });
});
