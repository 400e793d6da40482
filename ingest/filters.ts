import type { ClassifiedEvent } from '../lib/audit/schema';
import type { FilterRule } from '../lib/config/schema';

/** The name of the first rule that drops the event, else null (the event is kept). */
export type FilterFn = (e: ClassifiedEvent) => string | null;

export class FilterRuleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FilterRuleError';
  }
}

type Predicate = (e: ClassifiedEvent) => boolean;

/**
 * Compiles the config's filter rules once. A rule drops an event when every criterion it gives
 * matches (AND); the values of one list are alternatives (OR). Users, databases and client
 * applications match exactly but case-insensitively: RDS for Oracle reports upper-case names
 * (`RDSADMIN`) where Aurora reports lower case (`rdsadmin`), and one rule should cover both.
 * `textPattern` is a case-insensitive JavaScript RegExp tested on command_text; a null text never matches.
 */
export function compileFilters(rules: readonly FilterRule[]): FilterFn {
  const compiled = rules.map((rule) => ({ name: rule.name, matches: compileRule(rule) }));
  if (compiled.length === 0) return () => null;
  return (e) => {
    for (const rule of compiled) if (rule.matches(e)) return rule.name;
    return null;
  };
}

function compileRule(rule: FilterRule): Predicate {
  const checks: Predicate[] = [];
  if (rule.classes) {
    const classes = new Set<string>(rule.classes);
    checks.push((e) => classes.has(e.class));
  }
  if (rule.users) checks.push(anyOf(rule.users, (e) => e.db_user));
  if (rule.databases) checks.push(anyOf(rule.databases, (e) => e.database_name));
  if (rule.clientApplications) checks.push(anyOf(rule.clientApplications, (e) => e.client_application));
  if (rule.textPattern !== undefined) {
    const pattern = compilePattern(rule.name, rule.textPattern);
    checks.push((e) => e.command_text !== null && pattern.test(e.command_text));
  }
  // The config schema refuses a rule without criteria; this guards callers that bypass it.
  if (checks.length === 0) throw new FilterRuleError(`filter rule "${rule.name}" has no criterion`);
  return (e) => checks.every((check) => check(e));
}

function anyOf(values: readonly string[], field: (e: ClassifiedEvent) => string | null): Predicate {
  const wanted = new Set(values.map((v) => v.toLowerCase()));
  return (e) => {
    const value = field(e);
    return value !== null && wanted.has(value.toLowerCase());
  };
}

function compilePattern(name: string, source: string): RegExp {
  try {
    return new RegExp(source, 'i');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new FilterRuleError(
      `filter rule "${name}": textPattern is not a valid regular expression (${reason})`,
      {
        cause: err,
      },
    );
  }
}
