'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { ddlTimelineOptions } from '../../lib/client/query-options';
import { readRange, useUrlPatch } from '../../lib/client/url-state';
import { SearchBox } from '../activity/search-box';
import { withTerm } from '../activity/search-terms';
import { TimeRangePicker } from '../activity/time-range-picker';
import { EmptyState, ErrorState, Skeleton } from '../ui/states';
import { DdlEntryItem } from './ddl-entry';

// The timeline reads DDL only: a class: completion offering others would only empty it.
const DDL_ONLY = ['DDL'] as const;

/** Schema changes, newest first, grouped by UTC day; narrow with object:/user:/db: in the search. */
export function DdlTimeline({ now }: { now: number }) {
  const params = useSearchParams();
  const state = readRange(params, now, '30d');
  const patch = useUrlPatch();
  const range = { q: state.q, from: state.from, to: state.to };
  const timeline = useInfiniteQuery(ddlTimelineOptions(range));
  const days = useMemo(() => {
    const groups = new Map<string, NonNullable<typeof timeline.data>['pages'][number]['entries']>();
    for (const e of timeline.data?.pages.flatMap((p) => p.entries) ?? []) {
      const day = e.event_time.slice(0, 10);
      groups.set(day, [...(groups.get(day) ?? []), e]);
    }
    return [...groups];
  }, [timeline.data]);
  const objectHref = (object: string) =>
    `/ddl?${new URLSearchParams({ q: withTerm(state.q, 'object', object), from: state.from, to: state.to, range: state.range })}`;

  return (
    <div className="stack">
      <div className="toolbar">
        <SearchBox
          key={state.q}
          initial={state.q}
          onSubmit={(q) => patch({ q })}
          label="Filter DDL (object:, user:, db:)"
          placeholder="object:public.orders user:alice db:app"
          classes={DDL_ONLY}
        />
        <TimeRangePicker key={`${state.from}|${state.to}`} value={state} onChange={(r) => patch(r)} />
      </div>
      <div aria-busy={timeline.isPending} aria-live="polite">
        {timeline.isPending ? <Skeleton rows={6} label="Loading DDL timeline" /> : null}
        {timeline.isError ? <ErrorState error={timeline.error} onRetry={() => timeline.refetch()} /> : null}
        {timeline.isSuccess && days.length === 0 ? (
          <EmptyState title="No schema changes in this range">
            Widen the range, or clear the object filter.
          </EmptyState>
        ) : null}
      </div>
      {days.map(([day, entries]) => (
        <section key={day} aria-labelledby={`day-${day}`}>
          <h2 id={`day-${day}`} className="day-heading">
            {day}
          </h2>
          <ol className="timeline">
            {entries.map((e) => (
              <DdlEntryItem key={e.event_id} entry={e} objectHref={objectHref} />
            ))}
          </ol>
        </section>
      ))}
      {timeline.hasNextPage ? (
        <button
          type="button"
          className="btn"
          disabled={timeline.isFetchingNextPage}
          onClick={() => void timeline.fetchNextPage()}
        >
          {timeline.isFetchingNextPage ? 'Loading…' : 'Load older changes'}
        </button>
      ) : null}
    </div>
  );
}
