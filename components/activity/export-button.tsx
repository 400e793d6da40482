'use client';

import { useRef, useState } from 'react';
import { exportUrl, type RangeParams } from '../../lib/client/api';
import { formatBytes } from '../ui/format';

type Progress =
  | { state: 'idle' }
  | { state: 'running'; bytes: number; rows: number }
  | { state: 'done'; bytes: number; rows: number; exportId: string | null }
  | { state: 'failed'; message: string };

/** Streams the export, showing bytes and rows as they arrive, then saves it as a file. */
export function ExportButton({ params, format = 'csv' }: { params: RangeParams; format?: 'csv' | 'ndjson' }) {
  const [progress, setProgress] = useState<Progress>({ state: 'idle' });
  const [withRaw, setWithRaw] = useState(false);
  const abort = useRef<AbortController | null>(null);

  const run = async () => {
    abort.current = new AbortController();
    setProgress({ state: 'running', bytes: 0, rows: 0 });
    try {
      const response = await fetch(exportUrl(params, format, withRaw), { signal: abort.current.signal });
      if (!response.ok || response.body === null) throw new Error(`Export failed (${response.status}).`);
      const reader = response.body.getReader();
      const chunks: Uint8Array[] = [];
      let bytes = 0;
      const counter = { lines: 0, inQuote: false };
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        bytes += value.byteLength;
        countRecords(value, counter, format === 'csv');
        setProgress({ state: 'running', bytes, rows: recordsOf(counter.lines, format) });
      }
      const rows = recordsOf(counter.lines, format);
      saveBlob(
        new Blob(chunks as BlobPart[], { type: response.headers.get('content-type') ?? 'text/plain' }),
        fileName(response, format),
      );
      setProgress({ state: 'done', bytes, rows, exportId: response.headers.get('x-export-id') });
    } catch (error) {
      const message =
        error instanceof Error && error.name === 'AbortError'
          ? 'Export cancelled.'
          : 'Export failed; try a narrower range.';
      setProgress({ state: 'failed', message });
    }
  };

  return (
    <div className="export">
      {progress.state === 'running' ? (
        <button type="button" className="btn" onClick={() => abort.current?.abort()}>
          Cancel export
        </button>
      ) : (
        <button type="button" className="btn" onClick={run}>
          Export {format.toUpperCase()}
        </button>
      )}
      {format === 'csv' ? (
        <label className="muted" title="The original event JSON, as received from the stream">
          <input
            type="checkbox"
            checked={withRaw}
            disabled={progress.state === 'running'}
            onChange={(e) => setWithRaw(e.target.checked)}
          />{' '}
          with raw JSON
        </label>
      ) : null}
      <span className="muted" aria-live="polite" data-testid="export-status">
        {progress.state === 'running' ? `${formatBytes(progress.bytes)}, ${progress.rows} rows…` : null}
        {progress.state === 'done' ? `${progress.rows} rows, ${formatBytes(progress.bytes)} ` : null}
        {progress.state === 'failed' ? progress.message : null}
      </span>
      {progress.state === 'done' && progress.exportId !== null ? (
        <a
          href={`/api/export/${encodeURIComponent(progress.exportId)}/manifest`}
          target="_blank"
          rel="noreferrer"
        >
          Manifest
        </a>
      ) : null}
    </div>
  );
}

// CSV quotes may hold line breaks: count only record-ending newlines (outside quotes).
function countRecords(bytes: Uint8Array, counter: { lines: number; inQuote: boolean }, isCsv: boolean): void {
  for (const b of bytes) {
    if (isCsv && b === 34) counter.inQuote = !counter.inQuote;
    else if (b === 10 && !counter.inQuote) counter.lines++;
  }
}
const recordsOf = (lines: number, format: string) => Math.max(0, format === 'csv' ? lines - 1 : lines);

function fileName(response: Response, format: string): string {
  const match = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '');
  return match?.[1] ?? `dasboard-export.${format}`;
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
