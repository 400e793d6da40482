import type { SessionView } from '../../lib/client/api';
import { formatDuration, formatTime } from '../ui/format';
import { formatNumber } from '../ui/stat';

const time = (v: string | null) => (v === null ? '—' : formatTime(v));

export function SessionSummary({
  view,
  onPickUse,
}: {
  view: SessionView;
  onPickUse: (connectTime: string) => void;
}) {
  const s = view.summary;
  return (
    <section className="card" aria-labelledby="session-heading">
      <h2 id="session-heading">
        Session <span className="mono">{view.sessionId}</span>
        {view.resourceId === null ? null : <span className="muted mono"> on {view.resourceId}</span>}
      </h2>
      <dl className="dl dl-columns">
        <dt>Events</dt>
        <dd className="num">{formatNumber(s.events)}</dd>
        <dt>Connected</dt>
        <dd className="mono">{time(s.connectTime)}</dd>
        <dt>Disconnected</dt>
        <dd className="mono">{time(s.disconnectTime)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(s.durationMs)}</dd>
        <dt>Rows</dt>
        <dd className="num">{s.totalRows === null ? '—' : formatNumber(s.totalRows)}</dd>
        <dt>Failed</dt>
        <dd className="num">{formatNumber(s.failed)}</dd>
      </dl>
      {view.connects.length > 1 ? (
        <div className="alert alert-warning" role="note" data-testid="session-reused">
          <p>
            The engine reused this session id: {view.connects.length} sessions connected with it in this
            range.{' '}
            {view.connects.includes(view.range.from)
              ? `Showing the one that connected at ${time(view.range.from)}.`
              : 'Showing the events before the first of those connects.'}
          </p>
          <nav className="toolbar" aria-label="Sessions with this id">
            {view.connects.map((c) => (
              <button
                key={c}
                type="button"
                className="btn btn-ghost mono"
                aria-pressed={c === view.range.from}
                onClick={() => onPickUse(c)}
              >
                {time(c)}
              </button>
            ))}
          </nav>
        </div>
      ) : null}
      {view.truncated ? (
        <p className="alert alert-warning">Showing the first 1,000 events of this session.</p>
      ) : null}
    </section>
  );
}
