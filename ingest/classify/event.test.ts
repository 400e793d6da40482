import { describe, expect, it } from 'vitest';
import type { ActivityClass, ActivityEvent, Engine } from '../../lib/audit/schema';
import { classifyEvent } from './index';

function makeEvent(engine: Engine, command: string, overrides: Partial<ActivityEvent> = {}): ActivityEvent {
  return {
    event_id: 'e',
    event_time: 0n,
    log_time: 0n,
    end_time: null,
    engine,
    resource_id: 'cluster-x',
    cluster_id: '',
    instance_id: 'db-x',
    server_host: 'h',
    server_version: 'v',
    db_user: 'u',
    database_name: 'd',
    object_type: null,
    object_name: null,
    command,
    command_text: null,
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
    client_application: null,
    net_protocol: null,
    db_protocol: null,
    das_class: '',
    das_version: '1.1',
    raw: '{}',
    ingested_at: 0n,
    ...overrides,
  };
}

type Case = readonly [string, ActivityEvent, ActivityClass];

const CASES: readonly Case[] = [
  // connection events, by command per engine
  ['PG CONNECT', makeEvent('postgresql', 'CONNECT'), 'CONNECT'],
  ['PG DISCONNECT', makeEvent('postgresql', 'DISCONNECT', { exit_code: '1' }), 'DISCONNECT'],
  ['PG AUTH FAILURE', makeEvent('postgresql', 'AUTH FAILURE', { failed: true }), 'AUTH_FAILURE'],
  ['MySQL CONNECT', makeEvent('mysql', 'CONNECT', { command_text: '' }), 'CONNECT'],
  ['MySQL CHANGEUSER', makeEvent('mysql', 'CHANGEUSER'), 'CONNECT'],
  [
    'MySQL failed CONNECT',
    makeEvent('mysql', 'CONNECT', { failed: true, exit_code: '1045' }),
    'AUTH_FAILURE',
  ],
  ['MySQL DISCONNECT', makeEvent('mysql', 'DISCONNECT'), 'DISCONNECT'],
  ['MySQL FAILED_CONNECT', makeEvent('mysql', 'FAILED_CONNECT', { failed: true }), 'AUTH_FAILURE'],
  ['Oracle LOGON', makeEvent('oracle', 'LOGON', { exit_code: '0' }), 'CONNECT'],
  [
    'Oracle LOGON ORA-01017',
    makeEvent('oracle', 'LOGON', { exit_code: '1017', failed: true }),
    'AUTH_FAILURE',
  ],
  ['Oracle LOGOFF', makeEvent('oracle', 'LOGOFF'), 'DISCONNECT'],
  ['Oracle LOGOFF BY CLEANUP', makeEvent('oracle', 'LOGOFF BY CLEANUP'), 'DISCONNECT'],
  ['SQL Server LOGIN SUCCEEDED', makeEvent('sqlserver', 'LOGIN SUCCEEDED'), 'CONNECT'],
  [
    'SQL Server LOGIN FAILED (message text is not SQL)',
    makeEvent('sqlserver', 'LOGIN FAILED', { command_text: "Login failed for user 'test'.", failed: true }),
    'AUTH_FAILURE',
  ],
  ['SQL Server LOGOUT', makeEvent('sqlserver', 'LOGOUT'), 'DISCONNECT'],
  // the text decides over the tag
  ['MySQL QUERY DDL', makeEvent('mysql', 'QUERY', { command_text: 'CREATE TABLE t (id INT)' }), 'DDL'],
  [
    'SQL Server ALTER on SCHEMA for a CREATE TABLE',
    makeEvent('sqlserver', 'ALTER', { command_text: 'Create table dbo.t (a int)' }),
    'DDL',
  ],
  [
    'SQL Server ALTER LOGIN',
    makeEvent('sqlserver', 'ALTER', { command_text: 'ALTER LOGIN x DISABLE' }),
    'DCL',
  ],
  [
    'PG EXPLAIN ANALYZE',
    makeEvent('postgresql', 'EXPLAIN', { command_text: 'explain analyze delete from t' }),
    'DML',
  ],
  // the tag when there is no (usable) text
  ['PG tag CREATE TABLE', makeEvent('postgresql', 'CREATE TABLE'), 'DDL'],
  ['PG tag ALTER ROLE', makeEvent('postgresql', 'ALTER ROLE'), 'DCL'],
  ['PG tag SELECT INTO', makeEvent('postgresql', 'SELECT INTO'), 'DDL'],
  ['PG tag TRUNCATE TABLE', makeEvent('postgresql', 'TRUNCATE TABLE'), 'DDL'],
  ['PG tag START TRANSACTION', makeEvent('postgresql', 'START TRANSACTION'), 'TCL'],
  ['PG tag with unparsable text', makeEvent('postgresql', 'UPDATE', { command_text: '???' }), 'DML'],
  ['Oracle tag ALTER DATABASE', makeEvent('oracle', 'ALTER DATABASE'), 'DDL'],
  ['Oracle tag GRANT', makeEvent('oracle', 'GRANT'), 'DCL'],
  ['Oracle tag SYSTEM GRANT', makeEvent('oracle', 'SYSTEM GRANT'), 'DCL'],
  ['Oracle tag PL/SQL EXECUTE', makeEvent('oracle', 'PL/SQL EXECUTE'), 'OTHER'],
  ['SQL Server tag ADD MEMBER', makeEvent('sqlserver', 'ADD MEMBER'), 'DCL'],
  ['SQL Server tag TRANSACTION COMMIT', makeEvent('sqlserver', 'TRANSACTION COMMIT'), 'TCL'],
  ['SQL Server tag EXECUTE', makeEvent('sqlserver', 'EXECUTE'), 'OTHER'],
  // MySQL AUX companions: their own operation, never their text
  ['AUX READ', makeEvent('mysql', 'READ', { is_aux: true, command_text: 'test1' }), 'DQL'],
  ['AUX WRITE', makeEvent('mysql', 'WRITE', { is_aux: true, command_text: 'test1' }), 'DML'],
  ['AUX CREATE', makeEvent('mysql', 'CREATE', { is_aux: true, command_text: 'test1' }), 'DDL'],
  ['AUX ALTER', makeEvent('mysql', 'ALTER', { is_aux: true }), 'DDL'],
  ['AUX DROP', makeEvent('mysql', 'DROP', { is_aux: true, command_text: 'grant' }), 'DDL'],
  ['AUX RENAME', makeEvent('mysql', 'RENAME', { is_aux: true }), 'DDL'],
  ['AUX other operation', makeEvent('mysql', 'QUERY', { is_aux: true }), 'OTHER'],
  // failures keep their class; ERROR only when nothing else is known
  [
    'failed DROP TABLE stays DDL',
    makeEvent('postgresql', 'DROP TABLE', { command_text: 'drop table t', failed: true, exit_code: '42P01' }),
    'DDL',
  ],
  [
    'failed MySQL query with a statement',
    makeEvent('mysql', 'QUERY', { command_text: 'SELECT * FROM nope', failed: true, exit_code: '1146' }),
    'DQL',
  ],
  [
    'error-only event',
    makeEvent('postgresql', '???', { command_text: 'selec 1', failed: true, error_message: 'syntax error' }),
    'ERROR',
  ],
  [
    'error without text',
    makeEvent('mysql', 'QUERY', { command_text: '', failed: true, exit_code: '1064' }),
    'ERROR',
  ],
  ['unknown, not failed', makeEvent('mysql', 'QUERY', { command_text: '' }), 'OTHER'],
  ['unknown tag, not failed', makeEvent('sqlserver', 'VIEW SERVER STATE'), 'OTHER'],
];

describe('classifyEvent', () => {
  it.each(CASES.map(([name, event, expected]) => ({ name, event, expected })))(
    '$name → $expected',
    ({ event, expected }) => {
      // Act
      const cls = classifyEvent(event);
      // Assess
      expect(cls).toBe(expected);
    },
  );
});
