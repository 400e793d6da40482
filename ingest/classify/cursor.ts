import { type SqlDialect, SqlScanner, type TokenKind } from '../../lib/audit/sql-lexer';

/** Walks the significant tokens of a statement text (white space and comments skipped). */
export class Cursor {
  kind: TokenKind | 'eof' = 'eof';
  start = 0;
  end = 0;
  private readonly scanner: SqlScanner;

  constructor(
    readonly sql: string,
    dialect: SqlDialect,
  ) {
    this.scanner = new SqlScanner(sql, dialect);
    this.advance();
  }

  advance(): void {
    const s = this.scanner;
    while (s.next()) {
      if (s.kind !== 'space' && s.kind !== 'comment') {
        this.kind = s.kind;
        this.start = s.start;
        this.end = s.end;
        return;
      }
    }
    this.kind = 'eof';
    this.start = this.sql.length;
    this.end = this.sql.length;
  }

  /** End of the current statement: `;` or end of text. */
  atEnd(): boolean {
    return this.kind === 'eof' || this.kind === 'semicolon';
  }

  /** The current word in upper case, '' for any other token. */
  word(): string {
    return this.kind === 'word' ? this.sql.slice(this.start, this.end).toUpperCase() : '';
  }

  text(): string {
    return this.sql.slice(this.start, this.end);
  }

  isPunct(ch: string): boolean {
    return this.kind === 'punct' && this.end - this.start === 1 && this.sql[this.start] === ch;
  }

  /** An identifier's name without its quotes (`[sp_x]`, `"x"`, `` `x` ``). */
  identifier(): string {
    return this.kind === 'quoted' ? this.sql.slice(this.start + 1, this.end - 1) : this.text();
  }

  skipToStatementEnd(): void {
    while (!this.atEnd()) this.advance();
  }

  /** Whether another statement may follow (cheap: a `;` anywhere further on). */
  mayHaveMore(): boolean {
    return this.kind === 'semicolon' || this.sql.indexOf(';', this.end) >= 0;
  }
}
