import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Signed-out session ids, kept until the session's absolute expiry (after that the token is dead
 * anyway). In memory, plus a JSON file in embedded mode so a restart does not revive signed-out
 * cookies. With several server instances (S3/Athena mode) each instance only knows its own
 * sign-outs: there, the 30-minute idle limit and the cookie deletion bound the exposure.
 */

const fileSchema = z.record(z.string(), z.number().int());
const MAX_ENTRIES = 100_000;

export class RevocationList {
  readonly #entries = new Map<string, number>();
  readonly #file: string | undefined;
  readonly #now: () => number;

  constructor(opts: { file?: string; now?: () => number } = {}) {
    this.#file = opts.file;
    this.#now = opts.now ?? (() => Date.now());
    if (this.#file !== undefined) this.#load(this.#file);
  }

  /** Revokes `sid` until `untilS` (epoch seconds). */
  revoke(sid: string, untilS: number): void {
    this.#prune();
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(sid, untilS);
    if (this.#file !== undefined) this.#save(this.#file);
  }

  isRevoked(sid: string): boolean {
    const until = this.#entries.get(sid);
    return until !== undefined && until * 1000 > this.#now();
  }

  #prune(): void {
    const nowS = this.#now() / 1000;
    for (const [sid, until] of this.#entries) if (until <= nowS) this.#entries.delete(sid);
  }

  #load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return; // no file yet: nothing revoked
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      document = null;
    }
    const parsed = fileSchema.safeParse(document);
    // A damaged file must not silently revive sessions: fail loudly.
    if (!parsed.success) throw new Error(`${file}: damaged revocation list; fix or delete it`);
    for (const [sid, until] of Object.entries(parsed.data)) this.#entries.set(sid, until);
    this.#prune();
  }

  #save(file: string): void {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.#entries)), { mode: 0o600 });
    renameSync(tmp, file);
  }
}
