import { describe, expect, it } from 'vitest';
import { maskParamList, maskStatement } from './mask';
import type { SqlDialect } from './sql-lexer';

describe('maskStatement', () => {
  it.each<[SqlDialect, string, string]>([
    [
      'postgresql',
      "select * from t where name = 'bob' and id = 42",
      'select * from t where name = ? and id = ?',
    ],
    [
      'generic',
      "select * from t where name = 'bob' and id = 42",
      'select * from t where name = ? and id = ?',
    ],
    ['postgresql', 'INSERT INTO t (a, b) VALUES ($1, $2)', 'INSERT INTO t (a, b) VALUES ($1, $2)'],
    ['postgresql', "select E'it\\'s', $$body$$, $fn$ x := 'y'; $fn$ from t", 'select ?, ?, ? from t'],
    ['postgresql', "select x'ff', b'0101', 0xFF, 1.5e-3, .5, 1_000 from t", 'select ?, ?, ?, ?, ?, ? from t'],
    [
      'postgresql',
      "select a::int, '2024-01-01'::date, interval '1 day' from \"Users\"",
      'select a::int, ?::date, interval ? from "Users"',
    ],
    [
      'postgresql',
      "update t set v = 'a''b' -- note 'secret'\nwhere id = -7",
      'update t set v = ? \nwhere id = -?',
    ],
    ['postgresql', 'select/* inline 123 */1', 'select ?'],
    ['postgresql', 'select 1/* trailing */', 'select ?'],
    ['postgresql', "select U&'d\\0061t' from t", 'select ? from t'],
    ['postgresql', "SELECT 'C:\\' AS path, 'secret' AS s", 'SELECT ? AS path, ? AS s'],
    ['mysql', "show status like \\'server_aurora_das_%\\'", 'show status like ?'],
    [
      'mysql',
      "select `a`, \"bob\", 'it\\'s', _utf8mb4'x', X'0F' from t # c",
      'select `a`, ?, ?, ?, ? from t ',
    ],
    ['mysql', "SELECT * FROM t WHERE a = 'x' AND b = @v", 'SELECT * FROM t WHERE a = ? AND b = @v'],
    [
      'oracle',
      "select q'[it's]', :name, N'x' from dual where id = :1",
      'select ?, :name, ? from dual where id = :1',
    ],
    [
      'sqlserver',
      "SELECT [name] FROM [dbo].[t] WHERE n = N'bob' AND id = @p1 AND x = 0x1F",
      'SELECT [name] FROM [dbo].[t] WHERE n = ? AND id = @p1 AND x = ?',
    ],
    ['generic', 'select "a" from t', 'select ? from t'],
    ['postgresql', 'select "a" from t', 'select "a" from t'],
    ['postgresql', "select 'unterminated", 'select ?'],
    ['postgresql', 'select 1 /* unterminated', 'select ? '],
  ])('%s: %s', (dialect, sql, expected) => {
    // Act
    const masked = maskStatement(sql, dialect);
    // Assess
    expect(masked).toBe(expected);
  });

  it.each<[SqlDialect, string, string[]]>([
    [
      'postgresql',
      "insert into users (email, pin) values ('alice@example.com', 4711)",
      ['alice@example.com', '4711'],
    ],
    ['postgresql', "select $tag$s3cr3t$tag$, E'pa\\'ss'", ['s3cr3t', 'pa']],
    ['postgresql', "select * from t where card = '4111 1111 1111 1111' /* 4111 */ -- 4111", ['4111']],
    [
      'mysql',
      "insert into t values (\\'alice\\', \\'it\\\\\\'s\\', 0xDEADBEEF)",
      ['alice', 'it', 'DEADBEEF'],
    ],
    ['mysql', 'update t set token = "tok-123" where id = 99', ['tok-123', '99']],
    ['oracle', "update emp set ssn = q'{123-45-6789}' where name = 'KING'", ['123-45-6789', 'KING']],
    ['sqlserver', "exec sp_setapprole 'role', N'p@ssw0rd'", ['p@ssw0rd']],
    ['generic', 'select "secret" from t', ['secret']],
  ])('%s hides every literal of %s', (dialect, sql, secrets) => {
    // Act
    const masked = maskStatement(sql, dialect);
    // Assess
    for (const secret of secrets) expect(masked).not.toContain(secret);
  });

  it('keeps keywords, identifiers and line structure', () => {
    // Prepare
    const sql =
      "SELECT o.id,\n       o.total\n  FROM orders o\n WHERE o.customer = 'bob'\n   AND o.total > 100.50;";
    // Act
    const masked = maskStatement(sql, 'postgresql');
    // Assess
    expect(masked).toBe(
      'SELECT o.id,\n       o.total\n  FROM orders o\n WHERE o.customer = ?\n   AND o.total > ?;',
    );
  });
});

describe('maskParamList', () => {
  it.each([
    ['["a","1"]', '["?","?"]'],
    ['["424","62","1788678","-2770"]', '["?","?","?","?"]'],
    ['[]', '[]'],
    ['{"a":1}', '?'],
    ['not json', '?'],
  ])('%s → %s', (input, expected) => {
    // Act / Assess
    expect(maskParamList(input)).toBe(expected);
  });

  it('keeps null as null', () => {
    // Act / Assess
    expect(maskParamList(null)).toBeNull();
  });
});
