'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { sessionOptions } from '../../lib/client/query-options';
import { readRange, useUrlPatch } from '../../lib/client/url-state';
import { TimeRangePicker } from '../activity/time-range-picker';
import { EmptyState, ErrorState, Skeleton } from '../ui/states';
import { SessionEvents } from './session-events';
import { SessionSummary } from './session-summary';

/** One database session, connect → statements → disconnect, looked up by session id (and cluster). */
export function SessionView({ now }: { now: number }) {
  const params = useSearchParams();
  const state = readRange(params, now, '7d');
  const session = params.get('session') ?? '';
  const resource = params.get('resource') ?? '';
  const at = params.get('at') ?? undefined;
  const patch = useUrlPatch();
  const [draft, setDraft] = useState({ session, resource });
  const query = useQuery(sessionOptions({ session, resource, from: state.from, to: state.to, at }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    patch({ session: draft.session.trim(), resource: draft.resource.trim(), at: null });
  };
  const explorerBase = { q: `session:${JSON.stringify(session)}`, from: state.from, to: state.to };

  return (
    <div className="stack">
      <form className="toolbar" onSubmit={submit} aria-label="Find a session">
        <label className="field-inline">
          <span>Session id</span>
          <input
            className="input mono"
            value={draft.session}
            onChange={(e) => setDraft({ ...draft, session: e.target.value })}
            required
          />
        </label>
        <label className="field-inline">
          <span>Cluster (optional)</span>
          <input
            className="input mono"
            value={draft.resource}
            onChange={(e) => setDraft({ ...draft, resource: e.target.value })}
          />
        </label>
        <button type="submit" className="btn btn-primary">
          Show session
        </button>
      </form>
      <TimeRangePicker key={`${state.from}|${state.to}`} value={state} onChange={(r) => patch(r)} />
      {session === '' ? (
        <EmptyState title="No session chosen">
          Enter a session id, or open one from an event in the <Link href="/activity">explorer</Link>.
        </EmptyState>
      ) : null}
      <div aria-live="polite" aria-busy={query.isFetching}>
        {session !== '' && query.isPending ? <Skeleton rows={6} label="Loading session" /> : null}
        {query.isError ? <ErrorState error={query.error} onRetry={() => query.refetch()} /> : null}
      </div>
      {query.data === undefined ? null : (
        <>
          <SessionSummary view={query.data} onPickUse={(use) => patch({ at: use })} />
          {query.data.events.length === 0 ? (
            <EmptyState title="No events you may see in this session">
              Widen the range; your role may hide some classes.
            </EmptyState>
          ) : (
            <SessionEvents events={query.data.events} explorer={explorerBase} />
          )}
        </>
      )}
    </div>
  );
}
