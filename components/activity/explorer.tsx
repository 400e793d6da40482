'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef } from 'react';
import type { FilterField } from '../../lib/audit/query-model';
import type { EventSummary } from '../../lib/client/api';
import { activityListOptions, countsOptions, PAGE_SIZE, topOptions } from '../../lib/client/query-options';
import { readExplorer, useUrlPatch } from '../../lib/client/url-state';
import { EmptyState, ErrorState, Skeleton } from '../ui/states';
import { ActivityTable } from './activity-table';
import { ColumnChooser } from './column-chooser';
import { COLUMN_IDS, DEFAULT_COLUMNS } from './columns';
import { EventDrawer } from './event-drawer';
import { ExportButton } from './export-button';
import { Facet, type FacetItem } from './facets';
import { SearchBox } from './search-box';
import { withTerm } from './search-terms';
import { TimeRangePicker } from './time-range-picker';

/** The event explorer: search, range, facets, the virtualised table and the event drawer. */
export function Explorer({
  now,
  canExport,
  classes,
}: {
  now: number;
  canExport: boolean;
  classes: readonly string[];
}) {
  const params = useSearchParams();
  const state = readExplorer(params, now);
  const patch = useUrlPatch();
  const range = { q: state.q, from: state.from, to: state.to };
  const list = useInfiniteQuery(activityListOptions({ ...range, sort: state.sort, limit: PAGE_SIZE }));
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.rows) ?? [], [list.data]);
  // The table first: the aggregates wait for the list's first page instead of sharing the
  // server with it (on a busy engine that made the rows appear several times later).
  const aggregates = !list.isPending;
  // The facets' counts read has the list's WHERE, so its sum is the number of matching rows.
  const counts = useQuery({ ...countsOptions(range), enabled: aggregates });
  const total = counts.data?.buckets.reduce((sum, b) => sum + b.total, 0);
  const visible = (state.cols ?? DEFAULT_COLUMNS).filter((c) => COLUMN_IDS.includes(c));
  const lastFocus = useRef<HTMLElement | null>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const open = (row: EventSummary) => {
    lastFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    patch({ event: row.event_id, at: row.event_time });
  };
  const close = useCallback(() => {
    patch({ event: null, at: null }, 'replace');
    lastFocus.current?.focus();
  }, [patch]);
  const pick = (field: FilterField, value: string) => patch({ q: withTerm(state.q, field, value) });

  return (
    <div className={state.event === null ? 'explorer' : 'explorer has-drawer'}>
      <div className="toolbar">
        <SearchBox
          key={state.q}
          initial={state.q}
          onSubmit={(q) => patch({ q })}
          label="Search events"
          classes={classes}
        />
        <TimeRangePicker key={`${state.from}|${state.to}`} value={state} onChange={(r) => patch(r)} />
        <ColumnChooser visible={visible} onChange={(ids) => patch({ cols: ids.join(',') }, 'replace')} />
        {canExport ? <ExportButton params={range} /> : null}
      </div>
      <div className="explorer-body">
        <Facets range={range} enabled={aggregates} onPick={pick} />
        <div className="explorer-main" aria-busy={list.isPending}>
          {list.isPending ? <Skeleton rows={10} label="Loading events" /> : null}
          {list.isError ? <ErrorState error={list.error} onRetry={() => list.refetch()} /> : null}
          {list.isSuccess && rows.length === 0 ? (
            <EmptyState title="No events match">
              Widen the time range, or remove a term from the search. Your role only shows the classes it
              grants.
            </EmptyState>
          ) : null}
          {rows.length > 0 ? (
            <ActivityTable
              rows={rows}
              paging={{ hasMore: hasNextPage, isLoadingMore: isFetchingNextPage, loadMore }}
              visible={visible}
              sort={state.sort}
              onSort={(sort) => patch({ sort })}
              onOpen={open}
              total={total}
            />
          ) : null}
        </div>
      </div>
      {state.event === null ? null : (
        <EventDrawer id={state.event} at={state.at ?? undefined} onClose={close} />
      )}
    </div>
  );
}

function Facets({
  range,
  enabled,
  onPick,
}: {
  range: { q: string; from: string; to: string };
  enabled: boolean;
  onPick: (field: FilterField, value: string) => void;
}) {
  const counts = useQuery({ ...countsOptions(range), enabled });
  const users = useQuery({ ...topOptions(range, 'user'), enabled });
  const dbs = useQuery({ ...topOptions(range, 'database'), enabled });
  const hosts = useQuery({ ...topOptions(range, 'host'), enabled });
  const classes: FacetItem[] = useMemo(() => {
    const sums = new Map<string, number>();
    for (const b of counts.data?.buckets ?? [])
      for (const [c, n] of Object.entries(b.counts)) sums.set(c, (sums.get(c) ?? 0) + (n ?? 0));
    return [...sums].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
  }, [counts.data]);
  const top = (d: typeof users.data) => d?.values.map((v) => ({ value: v.value, count: v.count })) ?? [];
  return (
    <aside className="facets" aria-label="Facets">
      <Facet title="Class" field="class" items={classes} isLoading={counts.isPending} onPick={onPick} />
      <Facet title="User" field="user" items={top(users.data)} isLoading={users.isPending} onPick={onPick} />
      <Facet title="Database" field="db" items={top(dbs.data)} isLoading={dbs.isPending} onPick={onPick} />
      <Facet title="Host" field="host" items={top(hosts.data)} isLoading={hosts.isPending} onPick={onPick} />
    </aside>
  );
}
