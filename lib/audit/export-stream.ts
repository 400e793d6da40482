import { createHash } from 'node:crypto';

/**
 * The export's byte stream: pull-driven (a part is produced only when the reader asks, so memory
 * does not grow with the export), hashed as it goes, with totals that settle at the end or on
 * cancel. Parts come from the row path (encoded batches) or from an engine's CSV files.
 */

export interface ExportPart {
  readonly bytes: Uint8Array;
  /** Data rows that this part completes. */
  readonly rows: number;
}

export interface ExportTotals {
  rowCount: number;
  bytes: number;
  sha256: string;
  /** false when the reader cancelled before the end */
  complete: boolean;
}

export function streamParts(
  header: Uint8Array | null,
  parts: AsyncIterable<ExportPart>,
): { body: ReadableStream<Uint8Array>; totals: Promise<ExportTotals> } {
  const iterator = parts[Symbol.asyncIterator]();
  const hash = createHash('sha256');
  const state = { rowCount: 0, bytes: 0 };
  let settle: (t: ExportTotals) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const totals = new Promise<ExportTotals>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const finish = (complete: boolean) => settle({ ...state, sha256: hash.digest('hex'), complete });
  const emit = (controller: ReadableStreamDefaultController<Uint8Array>, chunk: Uint8Array) => {
    hash.update(chunk);
    state.bytes += chunk.byteLength;
    controller.enqueue(chunk);
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (header !== null) emit(controller, header);
      },
      async pull(controller) {
        try {
          // A pull that enqueues nothing is not pulled again: skip empty parts here.
          for (;;) {
            const next = await iterator.next();
            if (next.done) {
              controller.close();
              finish(true);
              return;
            }
            state.rowCount += next.value.rows;
            if (next.value.bytes.byteLength > 0) {
              emit(controller, next.value.bytes);
              return;
            }
          }
        } catch (err) {
          controller.error(err);
          fail(err);
        }
      },
      async cancel() {
        await iterator.return?.();
        finish(false);
      },
    },
    { highWaterMark: 1 },
  );
  return { body, totals };
}
