'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import type { EventDetail } from '../../lib/client/api';
import { eventDetailOptions } from '../../lib/client/query-options';
import { formatTime } from '../ui/format';
import { ErrorState, Skeleton } from '../ui/states';
import { ClassBadge } from './class-badge';
import { AllFields, BindParams, RawJson } from './event-fields';
import { SqlHighlight } from './sql-highlight';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

function sessionHref(e: EventDetail['event']): string | null {
  if (e.session_id === null) return null;
  const t = Date.parse(e.event_time);
  const p = {
    session: e.session_id,
    resource: e.resource_id,
    from: iso(t - DAY),
    to: iso(t + DAY),
    at: e.event_time,
  };
  return `/sessions?${new URLSearchParams(p).toString()}`;
}

function objectHref(e: EventDetail['event']): string | null {
  if (e.object_name === null) return null;
  const t = Date.parse(e.event_time);
  const q = `object:${JSON.stringify(e.object_name)} db:${JSON.stringify(e.database_name)}`;
  return `/ddl?${new URLSearchParams({ q, from: iso(t - 30 * DAY), to: iso(t + DAY) }).toString()}`;
}

/** One event beside the table: statement, parameters, fields, raw record, companions, links. */
export function EventDrawer({
  id,
  at,
  onClose,
}: {
  id: string;
  at: string | undefined;
  onClose: () => void;
}) {
  const query = useQuery(eventDetailOptions(id, at));
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  const event = query.data?.event;
  return (
    <aside
      className="drawer"
      role="dialog"
      aria-modal="false"
      aria-labelledby="drawer-title"
      aria-busy={query.isPending}
    >
      <header className="drawer-head">
        <h2 id="drawer-title">Event {event === undefined ? '' : <ClassBadge value={event.class} />}</h2>
        <button
          ref={close}
          type="button"
          className="btn btn-ghost"
          onClick={onClose}
          aria-label="Close (Esc)"
        >
          ✕
        </button>
      </header>
      {query.isPending ? <Skeleton rows={6} label="Loading event" /> : null}
      {query.isError ? <ErrorState error={query.error} onRetry={() => query.refetch()} /> : null}
      {event === undefined ? null : (
        <div className="drawer-body stack">
          <p className="muted mono">
            {formatTime(event.event_time)} · {event.db_user}@{event.database_name} · {event.engine} ·{' '}
            {event.command}
            {event.failed ? <span className="failed"> · failed {event.exit_code ?? ''}</span> : null}
          </p>
          <nav className="link-row" aria-label="Related">
            {sessionHref(event) === null ? null : (
              <Link href={sessionHref(event) ?? ''}>Session timeline</Link>
            )}
            {objectHref(event) === null ? null : (
              <Link href={objectHref(event) ?? ''}>Object DDL history</Link>
            )}
          </nav>
          <section aria-labelledby="stmt-heading">
            <h3 id="stmt-heading">Statement{event.text_masked ? ' (literals masked)' : ''}</h3>
            {event.command_text === null ? (
              <p className="muted">No statement text.</p>
            ) : (
              <SqlHighlight text={event.command_text} engine={event.engine} />
            )}
            {event.error_message === null ? null : <p className="alert alert-error">{event.error_message}</p>}
          </section>
          <BindParams text={event.param_list} />
          <Companions rows={query.data?.companions ?? []} />
          <AllFields event={event} />
          <RawJson raw={event.raw} />
        </div>
      )}
    </aside>
  );
}

function Companions({ rows }: { rows: EventDetail['companions'] }) {
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="comp-heading">
      <h3 id="comp-heading">Companions (MySQL AUX)</h3>
      <ul className="plain-list">
        {rows.map((c) => (
          <li key={c.event_id} className="mono">
            <ClassBadge value={c.class} /> {c.command} {c.object_name ?? ''} {c.text_preview ?? ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
