import type { EngineRules } from './rule-types';

/** RDS for Oracle: `command` is UNIFIED_AUDIT_TRAIL.ACTION_NAME (`LOGON`, `CREATE TABLE`, …). */
export const ORACLE_RULES = {
  lexer: 'oracle',
  statements: {
    END: 'OTHER', // the end of a PL/SQL block, not a transaction
    AUDIT: 'DDL',
    NOAUDIT: 'DDL',
    PURGE: 'DDL',
    FLASHBACK: 'DDL',
    ASSOCIATE: 'DDL',
    DISASSOCIATE: 'DDL',
  },
  connections: {
    LOGON: { ok: 'CONNECT', failed: 'AUTH_FAILURE' },
    LOGOFF: 'DISCONNECT',
    'LOGOFF BY CLEANUP': 'DISCONNECT',
  },
  commandTags: {
    'PL/SQL EXECUTE': 'OTHER',
    'SYSTEM GRANT': 'DCL',
    'SYSTEM REVOKE': 'DCL',
    'SESSION REC': 'OTHER',
  },
  procedures: {},
  selectIntoCreatesTable: false, // PL/SQL SELECT … INTO fills variables; tables come from CREATE TABLE … AS
} as const satisfies EngineRules;
