import 'server-only';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { z } from 'zod';

/**
 * Reading an Athena result object (`<OutputLocation>/<id>.csv`) as a stream of row objects, for
 * exports too large to page through GetQueryResults at 1,000 rows a call.
 */

export type AthenaRow = Record<string, string | null>;

const recordSchema = z.array(z.string().nullable());

/** `s3://bucket/key` → its parts; anything else is not a result location. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | null {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return match?.[1] && match[2] ? { bucket: match[1], key: match[2] } : null;
}

/**
 * Rows of Athena's result CSV keyed by the header row. Athena double-quotes every value and
 * writes NULL as an empty unquoted field, so quoting is what tells NULL from an empty string.
 */
export async function* readAthenaCsv(body: Readable, signal?: AbortSignal): AsyncGenerator<AthenaRow> {
  const parser = parse({
    bom: true,
    cast: (value, context) => (context.quoting || value !== '' ? value : null),
  });
  body.on('error', (error) => parser.destroy(error));
  body.pipe(parser);
  let header: string[] | null = null;
  try {
    for await (const record of parser) {
      signal?.throwIfAborted();
      const cells = recordSchema.parse(record);
      if (header === null) {
        header = cells.map((name) => name ?? '');
        continue;
      }
      yield toRow(header, cells);
    }
  } finally {
    // Stops the download when the consumer leaves early (break, abort or error).
    body.unpipe(parser);
    body.destroy();
    parser.destroy();
  }
}

function toRow(header: readonly string[], cells: readonly (string | null)[]): AthenaRow {
  const row: AthenaRow = {};
  header.forEach((name, i) => {
    row[name] = cells[i] ?? null;
  });
  return row;
}
