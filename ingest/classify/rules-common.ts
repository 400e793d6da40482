import type { RuleTable } from './rule-types';

// CREATE/ALTER/DROP of these are principal management (DCL); USER MAPPING is FDW plumbing (DDL).
const PRINCIPALS = {
  ROLE: 'DCL',
  USER: { next: { MAPPING: 'DDL' }, otherwise: 'DCL' },
  LOGIN: 'DCL',
  GROUP: 'DCL',
  PROFILE: 'DCL',
  SERVER: { next: { ROLE: 'DCL' }, otherwise: 'DDL' },
  APPLICATION: { next: { ROLE: 'DCL' }, otherwise: 'DDL' },
} as const satisfies RuleTable;

/** Statements shared by the four engines (ANSI SQL and the common dialect forms). */
export const COMMON_STATEMENTS = {
  SELECT: { handler: 'select' },
  WITH: { handler: 'with' },
  TABLE: 'DQL',
  VALUES: 'DQL',
  SHOW: 'DQL',
  DESCRIBE: 'DQL',
  DESC: 'DQL',
  EXPLAIN: { handler: 'explain' },

  INSERT: 'DML',
  UPDATE: 'DML',
  DELETE: 'DML',
  MERGE: 'DML',
  UPSERT: 'DML',
  REPLACE: 'DML',
  LOAD: { next: { DATA: 'DML', XML: 'DML' }, otherwise: 'OTHER' },

  CREATE: { skip: ['OR', 'REPLACE'], next: PRINCIPALS, otherwise: 'DDL' },
  ALTER: {
    next: {
      ...PRINCIPALS,
      DEFAULT: { next: { PRIVILEGES: 'DCL' }, otherwise: 'DDL' },
      AUTHORIZATION: 'DCL',
      SESSION: 'OTHER',
    },
    otherwise: 'DDL',
  },
  DROP: { next: PRINCIPALS, otherwise: 'DDL' },
  TRUNCATE: 'DDL',
  COMMENT: 'DDL',
  RENAME: { next: { USER: 'DCL' }, otherwise: 'DDL' },

  GRANT: 'DCL',
  REVOKE: 'DCL',
  DENY: 'DCL',

  BEGIN: { handler: 'begin' },
  START: { next: { TRANSACTION: 'TCL' }, otherwise: 'OTHER' },
  COMMIT: 'TCL',
  ROLLBACK: 'TCL',
  SAVEPOINT: 'TCL',
  RELEASE: 'TCL',
  END: 'TCL',
  PREPARE: { next: { TRANSACTION: 'TCL' }, otherwise: 'OTHER' },

  SET: {
    next: { PASSWORD: 'DCL', DEFAULT: { next: { ROLE: 'DCL' }, otherwise: 'OTHER' } },
    otherwise: 'OTHER',
  },
  RESET: 'OTHER',
  EXECUTE: { handler: 'exec' },
  EXEC: { handler: 'exec' },
  DEALLOCATE: 'OTHER',
  CALL: 'OTHER',
  DO: 'OTHER',
  USE: 'OTHER',
  LOCK: 'OTHER',
  UNLOCK: 'OTHER',
  ANALYZE: 'OTHER',
  ANALYSE: 'OTHER',
  DECLARE: 'OTHER',
  FETCH: 'OTHER',
  OPEN: 'OTHER',
  CLOSE: 'OTHER',
  CHECKPOINT: 'OTHER',
  KILL: 'OTHER',
  SHUTDOWN: 'OTHER',
} as const satisfies RuleTable;
