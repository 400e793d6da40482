import type { Engine } from '../../lib/audit/schema';
import type { SqlDialect } from '../../lib/audit/sql-lexer';
import type { EngineRules, Rule, StatementClass } from './rule-types';
import { COMMON_STATEMENTS } from './rules-common';
import { MYSQL_RULES } from './rules-mysql';
import { ORACLE_RULES } from './rules-oracle';
import { POSTGRESQL_RULES } from './rules-postgresql';
import { SQLSERVER_RULES } from './rules-sqlserver';

export const ENGINE_RULES: Readonly<Record<Engine, EngineRules>> = {
  postgresql: POSTGRESQL_RULES,
  mysql: MYSQL_RULES,
  oracle: ORACLE_RULES,
  sqlserver: SQLSERVER_RULES,
};

/** The tables one statement text is read with (Maps: no prototype keys, fast lookups). */
export interface Dialect {
  readonly lexer: SqlDialect;
  readonly rules: ReadonlyMap<string, Rule>;
  readonly procedures: ReadonlyMap<string, StatementClass>;
  readonly selectIntoCreatesTable: boolean;
}

const toMap = <V>(record: Readonly<Record<string, V>>) => new Map(Object.entries(record));

function engineDialect(rules: EngineRules): Dialect {
  return {
    lexer: rules.lexer,
    rules: toMap<Rule>({ ...COMMON_STATEMENTS, ...rules.statements }),
    procedures: toMap(rules.procedures),
    selectIntoCreatesTable: rules.selectIntoCreatesTable,
  };
}

export const DIALECTS: Record<SqlDialect, Dialect> = {
  postgresql: engineDialect(POSTGRESQL_RULES),
  mysql: engineDialect(MYSQL_RULES),
  oracle: engineDialect(ORACLE_RULES),
  sqlserver: engineDialect(SQLSERVER_RULES),
  // Engine unknown: every engine's statements, the common reading winning where they disagree.
  generic: {
    lexer: 'generic',
    rules: toMap<Rule>({
      ...ORACLE_RULES.statements,
      ...SQLSERVER_RULES.statements,
      ...MYSQL_RULES.statements,
      ...POSTGRESQL_RULES.statements,
      ...COMMON_STATEMENTS,
    }),
    procedures: toMap(SQLSERVER_RULES.procedures),
    selectIntoCreatesTable: true,
  },
};
