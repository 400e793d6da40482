import { z } from 'zod';
import { isSpace } from './sql-dialects';
import { type SqlDialect, SqlScanner, unescapeDasMysqlText } from './sql-lexer';

/**
 * The `masked` statement-text grant: every literal (strings of any quoting, numbers, hex and bit
 * values) becomes `?`, comments are dropped (they can carry values), and keywords, identifiers,
 * parameters and white space stay, so the statement's shape is still readable.
 *
 * Pass the event's engine as `dialect` whenever it is known. Without it the masking is
 * conservative: `"…"` is masked too, because in MySQL it is a string literal, not an identifier.
 */
export function maskStatement(sql: string, dialect: SqlDialect = 'generic'): string {
  const text = dialect === 'mysql' ? unescapeDasMysqlText(sql) : sql;
  const scanner = new SqlScanner(text, dialect);
  let out = '';
  while (scanner.next()) {
    switch (scanner.kind) {
      case 'string':
      case 'number':
        out += '?';
        break;
      case 'comment': {
        // Keep the neighbours apart (`a/*x*/b` → `a b`) without adding a space where one already is.
        const next = text.charCodeAt(scanner.end); // NaN at the end of the text
        if (out !== '' && !isSpace(out.charCodeAt(out.length - 1)) && !Number.isNaN(next) && !isSpace(next))
          out += ' ';
        break;
      }
      case 'quoted':
        out +=
          dialect === 'generic' && text.charCodeAt(scanner.start) === 34
            ? '?'
            : text.slice(scanner.start, scanner.end);
        break;
      default:
        out += text.slice(scanner.start, scanner.end);
    }
  }
  return out;
}

const paramListSchema = z.array(z.unknown());

/** `'["a","1"]'` → `'["?","?"]'`: the number of bind values stays visible, their values do not. */
export function maskParamList(paramListJson: string | null): string | null {
  if (paramListJson === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(paramListJson);
  } catch {
    return '?';
  }
  const parsed = paramListSchema.safeParse(json);
  return parsed.success ? JSON.stringify(parsed.data.map(() => '?')) : '?';
}
