import Link from 'next/link';
import type { DdlEntry } from '../../lib/client/api';
import { SqlHighlight } from '../activity/sql-highlight';
import { formatTime } from '../ui/format';

/** One schema change: when, who, from where, on what, and the statement. */
export function DdlEntryItem({
  entry,
  objectHref,
}: {
  entry: DdlEntry;
  objectHref: (object: string) => string;
}) {
  return (
    <li className="timeline-item" data-testid="ddl-entry" data-failed={entry.failed}>
      <div className="timeline-meta">
        <time className="mono" dateTime={entry.event_time}>
          {formatTime(entry.event_time)}
        </time>
        <span>
          <strong>{entry.db_user}</strong> on <span className="mono">{entry.database_name}</span>
        </span>
        {entry.object_name === null ? null : (
          <Link className="mono" href={objectHref(entry.object_name)}>
            {entry.object_type ? `${entry.object_type.toLowerCase()} ` : ''}
            {entry.object_name}
          </Link>
        )}
        <span className="muted">
          {entry.command} · {entry.remote_host ?? 'unknown host'}
          {entry.client_application ? ` · ${entry.client_application}` : ''}
        </span>
        {entry.failed ? <span className="failed">failed</span> : null}
      </div>
      {entry.command_text === null ? (
        <p className="muted">No statement text.</p>
      ) : (
        <SqlHighlight text={entry.command_text} engine={entry.engine} />
      )}
      {entry.error_message === null ? null : <p className="failed">{entry.error_message}</p>}
    </li>
  );
}
