import { describe, expect, it } from 'vitest';
import { ALL_CASES } from '../../ingest/classify/statement-cases';
import { type SqlDialect, type TokenKind, tokenize, unescapeDasMysqlText } from './sql-lexer';

const significant = (sql: string, dialect: SqlDialect) =>
  tokenize(sql, dialect)
    .filter((t) => t.kind !== 'space')
    .map((t): [TokenKind, string] => [t.kind, t.text]);

describe('tokenize', () => {
  it('loses nothing: token texts concatenate back to the input, offsets included', () => {
    // Prepare
    const dialects: SqlDialect[] = ['generic', 'postgresql', 'mysql', 'oracle', 'sqlserver'];
    for (const [, sql] of ALL_CASES) {
      for (const dialect of dialects) {
        // Act
        const tokens = tokenize(sql, dialect);
        // Assess
        expect(tokens.map((t) => t.text).join('')).toBe(sql);
        for (const t of tokens) expect(sql.slice(t.start, t.end)).toBe(t.text);
      }
    }
  });

  it('reads PostgreSQL quoting, parameters, casts and nested comments', () => {
    // Act
    const tokens = significant(
      "select E'a\\'b', $$x'y$$, \"Col\", $1, a::int /* a /* b */ c */ -- end\n;",
      'postgresql',
    );
    // Assess
    expect(tokens).toEqual([
      ['word', 'select'],
      ['string', "E'a\\'b'"],
      ['punct', ','],
      ['string', "$$x'y$$"],
      ['punct', ','],
      ['quoted', '"Col"'],
      ['punct', ','],
      ['param', '$1'],
      ['punct', ','],
      ['word', 'a'],
      ['punct', '::'],
      ['word', 'int'],
      ['comment', '/* a /* b */ c */'],
      ['comment', '-- end'],
      ['semicolon', ';'],
    ]);
  });

  it('reads MySQL backticks, double-quoted strings, backslash escapes and # comments', () => {
    // Act
    const tokens = significant("select `t`.`a`, \"s\", 'it\\'s', 1--1\n# c\n", 'mysql');
    // Assess
    expect(tokens).toEqual([
      ['word', 'select'],
      ['quoted', '`t`'],
      ['punct', '.'],
      ['quoted', '`a`'],
      ['punct', ','],
      ['string', '"s"'],
      ['punct', ','],
      ['string', "'it\\'s'"],
      ['punct', ','],
      ['number', '1'],
      ['punct', '-'],
      ['punct', '-'],
      ['number', '1'],
      ['comment', '# c'],
    ]);
  });

  it('reads Oracle q-quotes and binds, T-SQL brackets, N-strings, temp tables and variables', () => {
    // Act
    const oracle = significant("q'{a'b}' :x", 'oracle');
    const tsql = significant("[a]]b] N'x' #tmp @p @@rowcount", 'sqlserver');
    // Assess
    expect(oracle).toEqual([
      ['string', "q'{a'b}'"],
      ['param', ':x'],
    ]);
    expect(tsql).toEqual([
      ['quoted', '[a]]b]'],
      ['string', "N'x'"],
      ['word', '#tmp'],
      ['param', '@p'],
      ['param', '@@rowcount'],
    ]);
  });

  it('keeps identifiers that start with digits as words', () => {
    // Act / Assess
    expect(significant('select 2fa_codes, 1e5 from t', 'mysql')).toEqual([
      ['word', 'select'],
      ['word', '2fa_codes'],
      ['punct', ','],
      ['number', '1e5'],
      ['word', 'from'],
      ['word', 't'],
    ]);
  });

  it('runs unterminated strings and comments to the end of the text', () => {
    // Act / Assess
    expect(significant("select 'abc; drop", 'postgresql')).toEqual([
      ['word', 'select'],
      ['string', "'abc; drop"],
    ]);
    expect(significant('select /* x; y', 'postgresql').at(-1)).toEqual(['comment', '/* x; y']);
  });
});

describe('unescapeDasMysqlText', () => {
  it.each([
    ["show status like \\'x%\\'", "show status like 'x%'"],
    ["select \\'it\\\\\\'s\\'", "select 'it\\'s'"],
    ['select \\"a\\"', 'select "a"'],
    ["select 'plain'", "select 'plain'"],
    ["select 'a\\'b'", "select 'a\\'b'"],
    ['select 1', 'select 1'],
  ])('%s → %s', (input, expected) => {
    // Act / Assess
    expect(unescapeDasMysqlText(input)).toBe(expected);
  });
});
