import type { EventDetail } from '../../lib/client/api';

/** Bind parameters (a JSON array text) and every stored field of one event. */

const HIDDEN = new Set(['command_text', 'param_list', 'raw', 'text_masked']);

export function parseParams(text: string | null): string[] | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) : [text];
  } catch {
    return [text];
  }
}

export function BindParams({ text }: { text: string | null }) {
  const params = parseParams(text);
  if (params === null || params.length === 0) return null;
  return (
    <section aria-labelledby="params-heading">
      <h3 id="params-heading">Bind parameters</h3>
      <ol className="params mono">
        {params.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: parameters are positional
          <li key={i}>
            <span className="muted">${i + 1}</span> {p}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function AllFields({ event }: { event: EventDetail['event'] }) {
  const entries = Object.entries(event).filter(([k]) => !HIDDEN.has(k));
  return (
    <section aria-labelledby="fields-heading">
      <h3 id="fields-heading">All fields</h3>
      <dl className="dl dl-dense">
        {entries.map(([k, v]) => (
          <div key={k} className="dl-row">
            <dt className="mono">{k}</dt>
            <dd className="mono">{v === null ? '—' : String(v)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function RawJson({ raw }: { raw: string | null }) {
  if (raw === null) return <p className="muted">Raw record hidden: your role shows statement text masked.</p>;
  let pretty = raw;
  try {
    pretty = JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    // not JSON: show as stored
  }
  return (
    <details className="raw">
      <summary>Raw JSON</summary>
      <pre className="mono">{pretty}</pre>
    </details>
  );
}
