import { ValidationError } from '../http/errors';

/** Tokens of the search syntax, with the error that points at a bad one. */

export class SearchSyntaxError extends ValidationError {
  readonly position: number;
  readonly token: string;

  constructor(message: string, position: number, token: string) {
    super(message, { details: { position, token } });
    this.name = 'SearchSyntaxError';
    this.position = position;
    this.token = token;
  }
}

export const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/u.test(ch);

export interface Token {
  text: string;
  start: number;
}

export class Scanner {
  i = 0;
  constructor(readonly input: string) {}

  get done(): boolean {
    return this.i >= this.input.length;
  }
  peek(offset = 0): string | undefined {
    return this.input[this.i + offset];
  }
  skipSpace(): void {
    while (isSpace(this.peek())) this.i++;
  }
  /** A `"…"` string with `\` escaping the next character. */
  quoted(): Token {
    const start = this.i;
    let text = '';
    this.i++;
    while (!this.done) {
      const ch = this.peek() ?? '';
      this.i++;
      if (ch === '"') return { text, start };
      if (ch === '\\' && !this.done) {
        text += this.peek() ?? '';
        this.i++;
      } else {
        text += ch;
      }
    }
    throw new SearchSyntaxError('unterminated quote', start, this.input.slice(start));
  }
  /** Characters up to white space (or a comma when `stopAtComma`). */
  bare(stopAtComma: boolean): Token {
    const start = this.i;
    while (!this.done && !isSpace(this.peek()) && !(stopAtComma && this.peek() === ',')) {
      if (this.peek() === '"') {
        throw new SearchSyntaxError('unexpected quote inside a word (quote the whole value)', this.i, '"');
      }
      this.i++;
    }
    return { text: this.input.slice(start, this.i), start };
  }
  expectTermEnd(termStart: number): void {
    if (!this.done && !isSpace(this.peek())) {
      throw new SearchSyntaxError(
        'expected a space after the closing quote',
        this.i,
        this.input.slice(termStart, this.i + 1),
      );
    }
  }
}
