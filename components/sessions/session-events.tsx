import Link from 'next/link';
import type { EventSummary } from '../../lib/client/api';
import { ClassBadge } from '../activity/class-badge';
import { formatTime } from '../ui/format';

/** The session's events in order; each opens in the explorer's drawer. */
export function SessionEvents({
  events,
  explorer,
}: {
  events: readonly EventSummary[];
  explorer: { q: string; from: string; to: string };
}) {
  const href = (e: EventSummary) =>
    `/activity?${new URLSearchParams({ ...explorer, event: e.event_id, at: e.event_time }).toString()}`;
  return (
    // The statement cell ellipsises; should the other columns still not fit, the table scrolls, not the page.
    <div className="table-scroll">
      <table className="table" aria-label="Session events">
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Class</th>
            <th scope="col">Command</th>
            <th scope="col">Object</th>
            <th scope="col">Statement</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.event_id} data-class={e.class} data-event-id={e.event_id} data-testid="session-event">
              <td className="mono">
                <Link href={href(e)}>{formatTime(e.event_time)}</Link>
              </td>
              <td>
                <ClassBadge value={e.class} />
              </td>
              <td>{e.command}</td>
              <td className="mono">{e.object_name ?? '—'}</td>
              <td className="mono truncate cell-fill">{e.text_preview ?? '—'}</td>
              <td>{e.failed ? <span className="failed">failed</span> : 'ok'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
