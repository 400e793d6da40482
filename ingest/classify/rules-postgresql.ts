import type { EngineRules } from './rule-types';

/** Aurora PostgreSQL: `command` is the PostgreSQL command tag (`CREATE TABLE`, `SELECT`, …). */
export const POSTGRESQL_RULES = {
  lexer: 'postgresql',
  statements: {
    COPY: { handler: 'copy' },
    ABORT: 'TCL',
    LISTEN: 'OTHER',
    UNLISTEN: 'OTHER',
    NOTIFY: 'OTHER',
    VACUUM: 'OTHER',
    DISCARD: 'OTHER',
    REINDEX: 'OTHER',
    CLUSTER: 'OTHER',
    MOVE: 'OTHER',
    LOAD: 'OTHER', // LOAD 'library'
    REFRESH: 'DDL', // REFRESH MATERIALIZED VIEW (a DDL command tag in PostgreSQL)
    SECURITY: 'DDL', // SECURITY LABEL
    IMPORT: 'DDL', // IMPORT FOREIGN SCHEMA
    REASSIGN: 'DCL', // REASSIGN OWNED BY … TO …
  },
  connections: {
    CONNECT: { ok: 'CONNECT', failed: 'AUTH_FAILURE' },
    DISCONNECT: 'DISCONNECT',
    'AUTH FAILURE': 'AUTH_FAILURE',
  },
  commandTags: {},
  procedures: {},
  selectIntoCreatesTable: true,
} as const satisfies EngineRules;
