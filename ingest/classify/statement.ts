import { Cursor } from './cursor';
import type { Dialect } from './dialects';
import type { HandlerName, Rule, StatementClass } from './rule-types';

/**
 * Statement text → class. Each statement's leading keyword is looked up in the dialect's rule
 * table (leading comments and parentheses skipped); a text with several statements takes the
 * most sensitive class among them. Returns null when nothing is recognisable.
 */

const SENSITIVITY: Record<StatementClass, number> = { OTHER: 0, TCL: 1, DQL: 2, DML: 3, DDL: 4, DCL: 5 };

export function classifyText(text: string, dialect: Dialect): StatementClass | null {
  const cur = new Cursor(text, dialect.lexer);
  let best: StatementClass | null = null;
  while (cur.kind !== 'eof') {
    const cls = classifyOne(cur, dialect);
    if (cls !== null && (best === null || SENSITIVITY[cls] > SENSITIVITY[best])) best = cls;
    if (best === 'DCL' || !cur.mayHaveMore()) return best;
    cur.skipToStatementEnd();
    if (cur.kind === 'semicolon') cur.advance();
  }
  return best;
}

/** The class of the statement starting at the cursor; the cursor stays inside that statement. */
function classifyOne(cur: Cursor, d: Dialect): StatementClass | null {
  while (cur.isPunct('(')) cur.advance();
  const rule = d.rules.get(cur.word());
  return rule === undefined ? null : applyRule(rule, cur, d);
}

function applyRule(rule: Rule, cur: Cursor, d: Dialect): StatementClass {
  if (typeof rule === 'string') return rule;
  if ('handler' in rule) return HANDLERS[rule.handler](cur, d);
  cur.advance();
  while (rule.skip?.includes(cur.word())) cur.advance();
  if (cur.atEnd()) return rule.end ?? rule.otherwise;
  const word = cur.word();
  const next = Object.hasOwn(rule.next, word) ? rule.next[word] : undefined;
  return next === undefined ? rule.otherwise : applyRule(next, cur, d);
}

const DML_WORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);
const INTO_VARIABLES = new Set(['OUTFILE', 'DUMPFILE']);
const EXPLAIN_WORDS = new Set(['ANALYZE', 'ANALYSE', 'VERBOSE', 'EXTENDED', 'PARTITIONS', 'FORMAT']);
const OPTION_OFF = new Set(['FALSE', 'OFF', 'NO']);
const BEGIN_TCL = new Set([
  'WORK',
  'TRANSACTION',
  'TRAN',
  'ISOLATION',
  'READ',
  'DEFERRABLE',
  'NOT',
  'DISTRIBUTED',
]);
const BLOCK_WORDS = new Set(['TRY', 'CATCH', 'ATOMIC']);
const INTO = /into/gi;

/** SELECT … INTO new_table creates a table (DDL); INTO @var / OUTFILE / DUMPFILE stays a read. */
function selectStatement(cur: Cursor, d: Dialect): StatementClass {
  INTO.lastIndex = cur.end;
  if (!d.selectIntoCreatesTable || !INTO.test(cur.sql)) return 'DQL';
  let depth = 0;
  for (cur.advance(); !cur.atEnd(); cur.advance()) {
    if (cur.isPunct('(')) depth++;
    else if (cur.isPunct(')')) depth--;
    else if (depth <= 0 && cur.word() === 'INTO') {
      cur.advance();
      return cur.kind === 'param' || INTO_VARIABLES.has(cur.word()) ? 'DQL' : 'DDL';
    }
  }
  return 'DQL';
}

/** WITH: DML when a CTE body or the main statement modifies data, else the main statement's class. */
function withStatement(cur: Cursor, d: Dialect): StatementClass {
  let depth = 0;
  let afterParen = false;
  for (cur.advance(); !cur.atEnd(); cur.advance()) {
    if (cur.isPunct('(') || cur.isPunct(')')) {
      depth += cur.isPunct('(') ? 1 : -1;
      afterParen = true;
      continue;
    }
    const word = cur.word();
    if (afterParen && DML_WORDS.has(word)) return 'DML';
    if (afterParen && depth === 0 && word === 'SELECT') return selectStatement(cur, d);
    afterParen = false;
  }
  return 'DQL';
}

/** EXPLAIN ANALYZE runs its statement, so it takes that statement's class; plain EXPLAIN reads. */
function explainStatement(cur: Cursor, d: Dialect): StatementClass {
  cur.advance();
  let analyze = false;
  if (cur.isPunct('(')) {
    analyze = explainOptionList(cur);
  } else {
    for (let word = cur.word(); EXPLAIN_WORDS.has(word); word = cur.word()) {
      if (word === 'ANALYZE' || word === 'ANALYSE') analyze = true;
      cur.advance();
      if (word === 'FORMAT' && cur.isPunct('=')) {
        cur.advance();
        cur.advance();
      }
    }
  }
  return analyze ? (classifyOne(cur, d) ?? 'DQL') : 'DQL';
}

/** `(ANALYZE, BUFFERS)`, `(ANALYZE true)`, `(ANALYZE off)`: leaves the cursor after the `)`. */
function explainOptionList(cur: Cursor): boolean {
  let analyze = false;
  let depth = 1;
  cur.advance();
  while (!cur.atEnd() && depth > 0) {
    const word = cur.word();
    if (word === 'ANALYZE' || word === 'ANALYSE') {
      cur.advance();
      analyze = !OPTION_OFF.has(cur.word()) && !(cur.kind === 'number' && cur.text() === '0');
      continue;
    }
    if (cur.isPunct('(')) depth++;
    else if (cur.isPunct(')')) depth--;
    cur.advance();
  }
  return analyze;
}

/** COPY … FROM loads data (DML); COPY … TO exports it (DQL). */
function copyStatement(cur: Cursor): StatementClass {
  let depth = 0;
  for (cur.advance(); !cur.atEnd(); cur.advance()) {
    if (cur.isPunct('(')) depth++;
    else if (cur.isPunct(')')) depth--;
    else if (depth === 0 && cur.word() === 'FROM') return 'DML';
    else if (depth === 0 && cur.word() === 'TO') return 'DQL';
  }
  return 'DML';
}

/** EXEC [@rc =] [db.schema.]procedure: a few system procedures manage principals or rename objects. */
function execStatement(cur: Cursor, d: Dialect): StatementClass {
  cur.advance();
  if (cur.kind === 'param') {
    cur.advance();
    if (cur.isPunct('=')) cur.advance();
  }
  let name = '';
  while (cur.kind === 'word' || cur.kind === 'quoted') {
    name = cur.identifier();
    cur.advance();
    if (!cur.isPunct('.')) break;
    while (cur.isPunct('.')) cur.advance();
  }
  return d.procedures.get(name.toLowerCase()) ?? 'OTHER';
}

/** BEGIN [WORK|TRANSACTION|TRAN…] is TCL; BEGIN followed by a statement opens a block: its class. */
function beginStatement(cur: Cursor, d: Dialect): StatementClass {
  cur.advance();
  if (cur.atEnd() || BEGIN_TCL.has(cur.word())) return 'TCL';
  if (BLOCK_WORDS.has(cur.word())) cur.advance();
  return classifyOne(cur, d) ?? 'OTHER';
}

/** T-SQL IF / WHILE / ELSE: the class of the first statement after the condition. */
function restartAtStatement(cur: Cursor, d: Dialect): StatementClass {
  let depth = 0;
  for (cur.advance(); !cur.atEnd(); cur.advance()) {
    if (cur.isPunct('(')) depth++;
    else if (cur.isPunct(')')) depth--;
    else if (depth <= 0 && d.rules.has(cur.word())) return classifyOne(cur, d) ?? 'OTHER';
  }
  return 'OTHER';
}

const HANDLERS: Record<HandlerName, (cur: Cursor, d: Dialect) => StatementClass> = {
  select: selectStatement,
  with: withStatement,
  explain: explainStatement,
  copy: copyStatement,
  exec: execStatement,
  begin: beginStatement,
  restart: restartAtStatement,
};
