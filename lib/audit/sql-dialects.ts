import type { Engine } from './schema';

/** How each engine's SQL lexes (quotes, comments, parameters), and the character classes. */

export type SqlDialect = Engine | 'generic';

export interface LexRules {
  backslash: boolean; // '…' honours backslash escapes
  dqString: boolean; // "…" is a string (MySQL without ANSI_QUOTES), else an identifier
  backtick: boolean;
  brackets: 'never' | 'always' | 'word'; // [x] is an identifier (T-SQL); 'word': only when [ starts a word
  dollar: boolean; // $tag$…$tag$ and $1
  nested: boolean; // /* /* */ */
  hashComment: boolean; // MySQL # comments
  hashWord: boolean; // T-SQL #temp tables
  colonParams: boolean; // Oracle :name binds
  atVars: boolean; // @var, @@var
  qQuote: boolean; // Oracle q'[…]'
  ePrefix: boolean; // PostgreSQL E'…' and U&'…'
  charsetPrefix: boolean; // MySQL _utf8mb4'…'
  dashNeedsSpace: boolean; // MySQL: `--` opens a comment only before white space
}

const BASE: LexRules = {
  backslash: false,
  dqString: false,
  backtick: false,
  brackets: 'never',
  dollar: false,
  nested: false,
  hashComment: false,
  hashWord: false,
  colonParams: false,
  atVars: false,
  qQuote: false,
  ePrefix: false,
  charsetPrefix: false,
  dashNeedsSpace: false,
};

export const LEX_RULES: Record<SqlDialect, LexRules> = {
  postgresql: { ...BASE, dollar: true, nested: true, ePrefix: true },
  mysql: {
    ...BASE,
    backslash: true,
    dqString: true,
    backtick: true,
    hashComment: true,
    atVars: true,
    charsetPrefix: true,
    dashNeedsSpace: true,
  },
  oracle: { ...BASE, colonParams: true, qQuote: true, hashWord: true },
  sqlserver: { ...BASE, brackets: 'always', nested: true, hashWord: true, atVars: true },
  // Without a dialect: the union that lexes every engine's texts reasonably.
  generic: {
    ...BASE,
    backslash: true,
    backtick: true,
    brackets: 'word',
    dollar: true,
    nested: true,
    hashWord: true,
    colonParams: true,
    atVars: true,
    qQuote: true,
    ePrefix: true,
  },
};

export const isDigit = (c: number) => c >= 48 && c <= 57;
export const isSpace = (c: number) =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  c === 0xa0 ||
  c === 0xfeff ||
  (c >= 0x2000 && c <= 0x200b) ||
  c === 0x3000;
export const isIdentStart = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 0x80 && !isSpace(c));
export const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c) || c === 36;
export const Q_CLOSERS: Record<string, string> = { '[': ']', '(': ')', '{': '}', '<': '>' };

/**
 * Aurora MySQL streams statement text with its quotes backslash-escaped (`like \'x%\'`). When every
 * quote of the text is escaped that way, undo one level of escaping so that the text lexes as SQL.
 */
export function unescapeDasMysqlText(text: string): string {
  if (text.indexOf('\\') < 0) return text;
  let quotes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 39 && c !== 34) continue;
    let slashes = 0;
    for (let j = i - 1; j >= 0 && text.charCodeAt(j) === 92; j--) slashes++;
    if (slashes % 2 === 0) return text;
    quotes++;
  }
  return quotes === 0 ? text : text.replace(/\\(['"\\])/g, '$1');
}
