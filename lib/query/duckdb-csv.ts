import { randomUUID } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CompiledQuery, CsvPart } from './engine';

/**
 * DuckDB's CSV writer for the export's bulk path: `COPY (<query>) TO '<file>'` into a private
 * folder (mode 0700, removed on close), then the file is read back in 1 MiB chunks. DuckDB
 * quotes a cell holding `,` `"` CR LF or `#`, and writes NULL as an empty cell.
 */

const CHUNK_BYTES = 1 << 20;
const COPY_OPTIONS = "FORMAT csv, HEADER false, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NEW_LINE '\r\n'";

/** Temporary CSV files of one engine. */
export class CsvSpool {
  private dir: Promise<string> | null = null;

  /** A fresh file path inside the spool folder (created on first use). */
  async nextFile(): Promise<string> {
    this.dir ??= mkdtemp(path.join(tmpdir(), 'dasboard-export-')).then((dir) => {
      // A CLI export exits without closing the engine: leave no folder behind.
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      return dir;
    });
    return path.join(await this.dir, `${randomUUID()}.csv`);
  }

  /** The COPY statement writing `q`'s rows to `file` (a path we made: no user text in it). */
  copyQuery(q: CompiledQuery, file: string): CompiledQuery {
    const target = `'${file.replaceAll("'", "''")}'`;
    return { ...q, text: `COPY (${q.text}) TO ${target} (${COPY_OPTIONS})`, label: `${q.label}.csv` };
  }

  async close(): Promise<void> {
    const dir = this.dir;
    this.dir = null;
    if (dir !== null) await rm(await dir, { recursive: true, force: true });
  }
}

export function csvPart(file: string, rows: number): CsvPart {
  const dispose = () => rm(file, { force: true });
  return {
    rows,
    file,
    async *chunks() {
      for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
        const b = chunk as Buffer;
        yield new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      }
    },
    dispose,
  };
}
