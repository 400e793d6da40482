import { type SqlDialect, type TokenKind, tokenize } from '../../lib/audit/sql-lexer';

/**
 * Statement text, pretty-printed (a line break before major clauses) and highlighted from the
 * shared lexer's tokens, so strings and comments are never mistaken for keywords.
 */

const KEYWORDS = new Set(
  (
    'select from where and or not insert into values update set delete create alter drop table view index ' +
    'grant revoke to on as join left right inner outer full cross group by order having limit offset union all ' +
    'distinct case when then else end begin commit rollback savepoint with returning null is in like between ' +
    'exists primary key foreign references default constraint unique check column add rename truncate ' +
    'schema database function procedure trigger role user password if replace merge using show describe ' +
    'explain analyze copy load data start transaction release cascade restrict desc asc'
  ).split(' '),
);
const BREAK_BEFORE = new Set([
  'from',
  'where',
  'group',
  'order',
  'having',
  'limit',
  'union',
  'values',
  'set',
  'returning',
]);

const DIALECTS: readonly SqlDialect[] = ['postgresql', 'mysql', 'oracle', 'sqlserver'];
export const dialectOf = (engine: string): SqlDialect => DIALECTS.find((d) => d === engine) ?? 'generic';

function classOf(kind: TokenKind, text: string): string | undefined {
  if (kind === 'word') return KEYWORDS.has(text.toLowerCase()) ? 'sql-kw' : undefined;
  if (kind === 'string') return 'sql-str';
  if (kind === 'number') return 'sql-num';
  if (kind === 'comment') return 'sql-comment';
  if (kind === 'param') return 'sql-param';
  if (kind === 'quoted') return 'sql-ident';
  return undefined;
}

export function SqlHighlight({
  text,
  engine,
  pretty = true,
}: {
  text: string;
  engine: string;
  pretty?: boolean;
}) {
  const tokens = tokenize(text, dialectOf(engine));
  let depth = 0;
  return (
    <pre className="sql" data-testid="sql">
      <code>
        {tokens.map((t) => {
          if (t.kind === 'punct' && t.text === '(') depth++;
          if (t.kind === 'punct' && t.text === ')') depth = Math.max(0, depth - 1);
          const breaks =
            pretty &&
            depth === 0 &&
            t.kind === 'word' &&
            t.start > 0 &&
            BREAK_BEFORE.has(t.text.toLowerCase());
          const cls = classOf(t.kind, t.text);
          const body = pretty && t.kind === 'space' && t.text.includes('\n') === false ? ' ' : t.text;
          return (
            <span key={t.start} className={cls}>
              {breaks ? '\n' : null}
              {body}
            </span>
          );
        })}
      </code>
    </pre>
  );
}
