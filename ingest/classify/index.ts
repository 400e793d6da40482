import type { ActivityClass, ActivityEvent, Engine } from '../../lib/audit/schema';
import { unescapeDasMysqlText } from '../../lib/audit/sql-lexer';
import { DIALECTS, ENGINE_RULES } from './dialects';
import type { CommandRule } from './rule-types';
import { MYSQL_AUX_OPERATIONS } from './rules-mysql';
import { classifyText } from './statement';

/**
 * The one activity class of an event (architecture.md "Activity classes"), in this order:
 * 1. Aurora MySQL AUX companions: their own operation (their text is an object name, not SQL);
 * 2. connection commands (log-in, log-out, failed log-in), whose text is not SQL either;
 * 3. the statement text, when it has a recognisable statement;
 * 4. the command tag, read like a statement (`CREATE TABLE` → DDL) or from the engine's tag table;
 * 5. ERROR for a failed event with nothing else to go on, OTHER otherwise.
 * A failed statement keeps its class (`failed` is a separate column).
 */
export function classifyEvent(e: ActivityEvent): ActivityClass {
  const rules = ENGINE_RULES[e.engine];
  if (e.is_aux) return lookup(MYSQL_AUX_OPERATIONS, e.command) ?? 'OTHER';
  const connection = lookup(rules.connections, e.command);
  if (connection !== undefined) return outcome(connection, e.failed);
  if (e.command_text) {
    const fromText = classifyStatement(e.command_text, e.engine);
    if (fromText !== null) return fromText;
  }
  const fromTag = lookup(rules.commandTags, e.command) ?? classifyText(e.command, DIALECTS[e.engine]);
  if (fromTag !== null) return fromTag;
  return e.failed ? 'ERROR' : 'OTHER';
}

/**
 * Class of a statement text (null when there is no statement or nothing recognisable). Pass the
 * engine when known: it selects the dialect (quoting, comments, engine-only statements).
 */
export function classifyStatement(text: string, engine?: Engine): ActivityClass | null {
  if (engine === undefined) return classifyText(text, DIALECTS.generic);
  // Aurora MySQL escapes the quotes of its statement texts (das-format.md §3.2).
  return classifyText(engine === 'mysql' ? unescapeDasMysqlText(text) : text, DIALECTS[engine]);
}

function lookup<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function outcome(rule: CommandRule, failed: boolean): ActivityClass {
  if (typeof rule === 'string') return rule;
  return failed ? rule.failed : rule.ok;
}
