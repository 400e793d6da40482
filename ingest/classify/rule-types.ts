import type { ActivityClass } from '../../lib/audit/schema';
import type { SqlDialect } from '../../lib/audit/sql-lexer';

/** The classes a statement text can have (connection classes come from command tags only). */
export type StatementClass = Extract<ActivityClass, 'DCL' | 'DDL' | 'DML' | 'DQL' | 'TCL' | 'OTHER'>;

/** Parsers for the few statements whose class needs more than their leading words (statement.ts). */
export type HandlerName = 'select' | 'with' | 'explain' | 'copy' | 'exec' | 'begin' | 'restart';

/**
 * What a statement's leading keyword (upper case) says:
 * - a class;
 * - `next`: look at the following word (after any `skip` words): its own rule, or `otherwise`
 *   (`end` when the statement stops there, e.g. the command tag `BEGIN`);
 * - `handler`: a named parser.
 */
export type Rule = StatementClass | NextRule | HandlerRule;
export interface NextRule {
  readonly next: RuleTable;
  readonly otherwise: StatementClass;
  readonly end?: StatementClass;
  readonly skip?: readonly string[];
}
export interface HandlerRule {
  readonly handler: HandlerName;
}
export type RuleTable = Readonly<Record<string, Rule>>;

/** A command tag's class; `ok`/`failed` for log-ins, whose class depends on the outcome. */
export type CommandRule = ActivityClass | { readonly ok: ActivityClass; readonly failed: ActivityClass };
export type CommandTable = Readonly<Record<string, CommandRule>>;

/** One engine's tables. */
export interface EngineRules {
  readonly lexer: SqlDialect;
  /** Leading keywords this engine adds to, or reads differently from, the common table. */
  readonly statements: RuleTable;
  /** Connection commands: decided by the tag alone, before any text (their text is not SQL). */
  readonly connections: CommandTable;
  /** Tags that are not SQL keywords; other tags are read like a statement (`CREATE TABLE` → DDL). */
  readonly commandTags: Readonly<Record<string, ActivityClass>>;
  /** Stored procedures with a class of their own (`EXEC sp_addrolemember …` → DCL), lower case. */
  readonly procedures: Readonly<Record<string, StatementClass>>;
  /** `SELECT … INTO x` creates table x (PostgreSQL, T-SQL); elsewhere INTO names variables. */
  readonly selectIntoCreatesTable: boolean;
}
