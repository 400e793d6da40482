import type { EngineRules, StatementClass } from './rule-types';

/** Aurora MySQL: every statement is command `QUERY` (the text decides); AUX events carry operations. */
export const MYSQL_RULES = {
  lexer: 'mysql',
  statements: {
    XA: 'TCL',
    IMPORT: 'DDL', // IMPORT TABLE
    HANDLER: 'OTHER',
    FLUSH: 'OTHER',
    OPTIMIZE: 'OTHER',
    REPAIR: 'OTHER',
    CHECK: 'OTHER',
    CHECKSUM: 'OTHER',
    INSTALL: 'OTHER',
    UNINSTALL: 'OTHER',
    PURGE: 'OTHER',
    CACHE: 'OTHER',
    HELP: 'OTHER',
    RESTART: 'OTHER',
    CLONE: 'OTHER',
    BINLOG: 'OTHER',
    CHANGE: 'OTHER',
    STOP: 'OTHER',
  },
  connections: {
    CONNECT: { ok: 'CONNECT', failed: 'AUTH_FAILURE' },
    CHANGEUSER: { ok: 'CONNECT', failed: 'AUTH_FAILURE' },
    DISCONNECT: 'DISCONNECT',
    FAILED_CONNECT: 'AUTH_FAILURE',
  },
  commandTags: {},
  procedures: {},
  selectIntoCreatesTable: false, // INTO @var / OUTFILE / DUMPFILE / a local variable: still a read
} as const satisfies EngineRules;

/** AUX events (companions of a MAIN `QUERY`) name the operation on one object. */
export const MYSQL_AUX_OPERATIONS = {
  READ: 'DQL',
  WRITE: 'DML',
  CREATE: 'DDL',
  ALTER: 'DDL',
  DROP: 'DDL',
  RENAME: 'DDL',
} as const satisfies Readonly<Record<string, StatementClass>>;
