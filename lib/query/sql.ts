import { ACTIVITY_COLUMNS, PARTITION_COLUMNS } from '../audit/schema';
import type { CompiledQuery, QueryParam } from './engine';

/**
 * A piece of SQL: text with `?` placeholders and its values in order. Built only through `sql`,
 * `ident`, `int` and the join helpers, so a value can never end up spliced into the text.
 */
export class Sql {
  readonly text: string;
  readonly params: readonly QueryParam[];

  private constructor(text: string, params: readonly QueryParam[]) {
    this.text = text;
    this.params = params;
  }

  /** Internal factory; `trusted` exists for the dialect's configuration-derived text. */
  static of(text: string, params: readonly QueryParam[] = []): Sql {
    return new Sql(text, params);
  }
}

/** `sql\`… where db_user = ${user}\`` → `{ text: '… where db_user = ?', params: [user] }`; nested Sql is inlined. */
export function sql(strings: TemplateStringsArray, ...values: ReadonlyArray<QueryParam | Sql>): Sql {
  let text = strings[0] ?? '';
  const params: QueryParam[] = [];
  values.forEach((value, i) => {
    if (value instanceof Sql) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1] ?? '';
  });
  return Sql.of(text, params);
}

const IDENTIFIERS: ReadonlySet<string> = new Set([
  ...ACTIVITY_COLUMNS.map((c) => c.name),
  ...PARTITION_COLUMNS.map((c) => c.name),
]);

/** A column name from the storage contract; anything else throws (identifiers are never user text). */
export function ident(name: string): Sql {
  if (!IDENTIFIERS.has(name)) throw new Error(`identifier not allowed: ${JSON.stringify(name)}`);
  return Sql.of(name);
}

/** An integer rendered as text: Athena accepts `?` only in WHERE, so LIMIT needs a literal. */
export function int(n: number): Sql {
  if (!Number.isSafeInteger(n)) throw new Error(`not a safe integer: ${n}`);
  return Sql.of(String(n));
}

/**
 * Text that comes from configuration or code, never from a request (the dialect's FROM source).
 * WARNING: the caller vouches for the text; values still go through `sql`.
 */
export function trusted(text: string): Sql {
  return Sql.of(text);
}

export function join(parts: readonly Sql[], separator = ', '): Sql {
  return Sql.of(
    parts.map((p) => p.text).join(separator),
    parts.flatMap((p) => p.params),
  );
}

/** `?, ?, ?` for an IN list (callers never pass an empty list). */
export function list(values: readonly QueryParam[]): Sql {
  if (values.length === 0) throw new Error('empty IN list');
  return Sql.of(values.map(() => '?').join(', '), values);
}

/**
 * AND of the parts; no parts → TRUE. Every helper that emits OR parenthesises its own output
 * (see `or`), so plain joining keeps precedence right.
 */
export function and(parts: readonly Sql[]): Sql {
  if (parts.length === 0) return Sql.of('TRUE');
  return join(parts, ' AND ');
}

/** Parenthesised OR of the parts; no parts → FALSE. */
export function or(parts: readonly Sql[]): Sql {
  if (parts.length === 0) return Sql.of('FALSE');
  if (parts.length === 1 && parts[0]) return parts[0];
  return sql`(${join(parts, ' OR ')})`;
}

export function compile(query: Sql, label: string): CompiledQuery {
  return { text: query.text, params: [...query.params], label };
}
