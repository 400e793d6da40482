import {
  isDigit,
  isIdentPart,
  isIdentStart,
  isSpace,
  LEX_RULES,
  type LexRules,
  Q_CLOSERS,
  type SqlDialect,
} from './sql-dialects';

export { type SqlDialect, unescapeDasMysqlText } from './sql-dialects';

/**
 * A small, allocation-light SQL tokenizer shared by the ingest classifier and the `masked`
 * statement-text grant. It never fails: unterminated strings and comments run to the end of the
 * text (so masking hides them). Dialects only change how quotes, comments and parameters lex.
 */

export type TokenKind =
  | 'word'
  | 'quoted' // quoted identifier: "x", `x`, [x]
  | 'string' // string / hex / bit literal, including its prefix (E'', N'', X'', q'[]', $tag$…$tag$)
  | 'number'
  | 'param' // $1, ?, :name, @var, @@var
  | 'comment'
  | 'space'
  | 'punct'
  | 'semicolon';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

/** Incremental scanner: `next()` moves to the next token (white space and comments included). */
export class SqlScanner {
  pos = 0;
  kind: TokenKind = 'space';
  start = 0;
  end = 0;
  private readonly r: LexRules;

  constructor(
    readonly sql: string,
    dialect: SqlDialect = 'generic',
  ) {
    this.r = LEX_RULES[dialect];
  }

  next(): boolean {
    if (this.pos >= this.sql.length) return false;
    this.start = this.pos;
    this.kind = this.scan();
    this.end = this.pos;
    return true;
  }

  private code(at: number): number {
    return this.sql.charCodeAt(at);
  }

  private scan(): TokenKind {
    const s = this.sql;
    const r = this.r;
    const c = this.code(this.pos);
    const n = this.code(this.pos + 1);
    if (isSpace(c)) {
      let p = this.pos + 1;
      while (p < s.length && isSpace(this.code(p))) p++;
      this.pos = p;
      return 'space';
    }
    if (
      c === 45 &&
      n === 45 &&
      (!r.dashNeedsSpace || Number.isNaN(this.code(this.pos + 2)) || isSpace(this.code(this.pos + 2)))
    )
      return this.lineComment();
    if (c === 35 && r.hashComment) return this.lineComment();
    if (c === 47 && n === 42) return this.blockComment();
    if (c === 39) return this.quoted(this.pos + 1, "'", r.backslash, 'string');
    if (c === 34)
      return this.quoted(this.pos + 1, '"', r.dqString && r.backslash, r.dqString ? 'string' : 'quoted');
    if (c === 96 && r.backtick) return this.quoted(this.pos + 1, '`', false, 'quoted');
    if (c === 91 && (r.brackets === 'always' || (r.brackets === 'word' && isIdentStart(n))))
      return this.quoted(this.pos + 1, ']', false, 'quoted');
    if (c === 59) return this.one('semicolon');
    if (isDigit(c) || (c === 46 && isDigit(n))) return this.number();
    if (isIdentStart(c) || (c === 35 && r.hashWord && (isIdentStart(n) || n === 35))) return this.word();
    if (c === 36 && r.dollar) return this.dollar();
    if (c === 63) return this.one('param');
    if (c === 64 && r.atVars && (isIdentStart(n) || n === 64)) return this.identRun(this.pos + 2, 'param');
    if (c === 58 && n === 58) {
      this.pos += 2;
      return 'punct';
    }
    if (c === 58 && r.colonParams && (isIdentStart(n) || isDigit(n)))
      return this.identRun(this.pos + 2, 'param');
    return this.one('punct');
  }

  private one(kind: TokenKind): TokenKind {
    this.pos += 1;
    return kind;
  }

  private identRun(from: number, kind: TokenKind): TokenKind {
    let p = from;
    const hash = this.r.hashWord;
    while (p < this.sql.length && (isIdentPart(this.code(p)) || (hash && this.code(p) === 35))) p++;
    this.pos = p;
    return kind;
  }

  private lineComment(): TokenKind {
    const nl = this.sql.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.sql.length : nl;
    return 'comment';
  }

  private blockComment(): TokenKind {
    const s = this.sql;
    let depth = 1;
    let p = this.pos + 2;
    while (p < s.length && depth > 0) {
      const c = this.code(p);
      if (c === 42 && this.code(p + 1) === 47) {
        depth--;
        p += 2;
      } else if (this.r.nested && c === 47 && this.code(p + 1) === 42) {
        depth++;
        p += 2;
      } else p++;
    }
    this.pos = Math.min(p, s.length);
    return 'comment';
  }

  /** From `from` (just after the opening quote) to the closing `close`; doubled closers stay inside. */
  private quoted(from: number, close: string, backslash: boolean, kind: TokenKind): TokenKind {
    const s = this.sql;
    const cc = close.charCodeAt(0);
    let p = from;
    while (p < s.length) {
      const c = this.code(p);
      if (backslash && c === 92) p += 2;
      else if (c === cc) {
        if (this.code(p + 1) === cc) p += 2;
        else {
          this.pos = p + 1;
          return kind;
        }
      } else p++;
    }
    this.pos = s.length;
    return kind;
  }

  private number(): TokenKind {
    const s = this.sql;
    let p = this.pos;
    const x = this.code(p + 1) | 0x20;
    if (this.code(p) === 48 && (x === 120 || x === 98 || x === 111)) {
      p += 2; // 0x… 0b… 0o…
      while (p < s.length && (isIdentPart(this.code(p)) || this.code(p) === 95)) p++;
      this.pos = p;
      return 'number';
    }
    while (p < s.length && (isDigit(this.code(p)) || this.code(p) === 95)) p++;
    if (this.code(p) === 46) {
      p++;
      while (p < s.length && isDigit(this.code(p))) p++;
    }
    if ((this.code(p) | 0x20) === 101) {
      const q = this.code(p + 1) === 43 || this.code(p + 1) === 45 ? p + 2 : p + 1;
      if (isDigit(this.code(q))) {
        p = q;
        while (p < s.length && isDigit(this.code(p))) p++;
      }
    }
    // MySQL allows identifiers that start with digits (`2fa_codes`): keep them words.
    if (p < s.length && isIdentStart(this.code(p))) return this.identRun(p, 'word');
    this.pos = p;
    return 'number';
  }

  private word(): TokenKind {
    const s = this.sql;
    const start = this.pos;
    this.identRun(start + 1, 'word');
    const c = this.code(this.pos);
    if (c === 39) return this.prefixedString(s.slice(start, this.pos).toLowerCase());
    if (c === 38 && this.r.ePrefix && this.pos - start === 1 && (s[start] === 'u' || s[start] === 'U')) {
      const q = this.code(this.pos + 1);
      if (q === 39) return this.quoted(this.pos + 2, "'", false, 'string');
      if (q === 34) return this.quoted(this.pos + 2, '"', false, 'quoted');
    }
    return 'word';
  }

  /** A word directly followed by `'`: E'…', N'…', X'…', B'…', q'[…]', _utf8mb4'…'. */
  private prefixedString(prefix: string): TokenKind {
    const r = this.r;
    if (prefix === 'e' && r.ePrefix) return this.quoted(this.pos + 1, "'", true, 'string');
    if ((prefix === 'q' || prefix === 'nq') && r.qQuote) return this.qQuoted();
    if (prefix === 'n' || prefix === 'x' || prefix === 'b' || (prefix.startsWith('_') && r.charsetPrefix))
      return this.quoted(this.pos + 1, "'", r.backslash, 'string');
    return 'word';
  }

  private qQuoted(): TokenKind {
    const open = this.sql[this.pos + 1] ?? '';
    const close = `${Q_CLOSERS[open] ?? open}'`;
    const at = this.sql.indexOf(close, this.pos + 2);
    this.pos = at < 0 ? this.sql.length : at + 2;
    return 'string';
  }

  private dollar(): TokenKind {
    const s = this.sql;
    let p = this.pos + 1;
    if (isDigit(this.code(p))) {
      while (p < s.length && isDigit(this.code(p))) p++;
      this.pos = p;
      return 'param';
    }
    while (p < s.length && isIdentStart(this.code(p))) p++;
    while (p < s.length && (isIdentStart(this.code(p)) || isDigit(this.code(p)))) p++;
    if (this.code(p) !== 36) return this.one('punct');
    const tag = s.slice(this.pos, p + 1);
    const at = s.indexOf(tag, p + 1);
    this.pos = at < 0 ? s.length : at + tag.length;
    return 'string';
  }
}

/** Every token of `sql`, white space and comments included, in order (their texts concatenate to `sql`). */
export function tokenize(sql: string, dialect: SqlDialect = 'generic'): Token[] {
  const scanner = new SqlScanner(sql, dialect);
  const out: Token[] = [];
  while (scanner.next()) {
    out.push({
      kind: scanner.kind,
      text: sql.slice(scanner.start, scanner.end),
      start: scanner.start,
      end: scanner.end,
    });
  }
  return out;
}
