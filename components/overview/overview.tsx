'use client';

import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import type { ActivityClass } from '../../lib/audit/schema';
import { TOP_DIMENSIONS, type TopDimension } from '../../lib/client/api';
import { countsOptions, overviewOptions, topOptions } from '../../lib/client/query-options';
import { explorerHref, readRange, useUrlPatch } from '../../lib/client/url-state';
import { TimeRangePicker } from '../activity/time-range-picker';
import { ActivityChart } from '../charts/activity-chart';
import { BarList } from '../charts/bar-list';
import { EmptyState, ErrorState, Skeleton } from '../ui/states';
import { AuthFailuresCard } from './auth-failures-card';
import { StatGrid } from './stat-grid';

const FIELD: Record<TopDimension, string> = { user: 'user', database: 'db', object: 'object', host: 'host' };
const TITLE: Record<TopDimension, string> = {
  user: 'Top users',
  database: 'Top databases',
  object: 'Top objects',
  host: 'Top client hosts',
};

/** Overview: headline numbers, activity over time, top lists and auth failures for one range. */
export function Overview({ now, classes }: { now: number; classes: readonly ActivityClass[] }) {
  const state = readRange(useSearchParams(), now);
  const patch = useUrlPatch();
  const range = { q: state.q, from: state.from, to: state.to };
  const stats = useQuery(overviewOptions(range));
  const counts = useQuery(countsOptions(range));
  // Numbers and chart first: the lists wait for them rather than share the engine with them.
  const headline = !stats.isPending && !counts.isPending;
  const link = (q: string) => explorerHref(q, range.from, range.to);
  return (
    <div className="stack">
      <div className="toolbar">
        <TimeRangePicker key={`${state.from}|${state.to}`} value={state} onChange={(r) => patch(r)} />
      </div>
      {stats.isPending ? <Skeleton rows={2} label="Loading totals" /> : null}
      {stats.isError ? <ErrorState error={stats.error} onRetry={() => stats.refetch()} /> : null}
      {stats.data === undefined ? null : <StatGrid stats={stats.data} classes={classes} link={link} />}
      <section className="card" aria-labelledby="chart-heading" aria-busy={counts.isPending}>
        <h2 id="chart-heading">Activity over time</h2>
        {counts.isPending ? <Skeleton rows={4} label="Loading chart" /> : null}
        {counts.isError ? <ErrorState error={counts.error} onRetry={() => counts.refetch()} /> : null}
        {counts.data?.buckets.every((b) => b.total === 0) ? (
          <EmptyState title="No activity in this range">Pick a wider range above.</EmptyState>
        ) : null}
        {counts.data?.buckets.some((b) => b.total > 0) ? (
          <ActivityChart counts={counts.data} q={range.q} to={range.to} hrefFor={explorerHref} />
        ) : null}
      </section>
      <div className="grid-2">
        {TOP_DIMENSIONS.map((d) => (
          <TopCard key={d} dimension={d} range={range} link={link} enabled={headline} />
        ))}
      </div>
      {classes.includes('AUTH_FAILURE') ? (
        <AuthFailuresCard range={range} link={link} enabled={headline} />
      ) : null}
    </div>
  );
}

function TopCard({
  dimension,
  range,
  link,
  enabled,
}: {
  dimension: TopDimension;
  range: { q: string; from: string; to: string };
  link: (q: string) => string;
  enabled: boolean;
}) {
  const top = useQuery({ ...topOptions(range, dimension), enabled });
  if (top.isPending) return <Skeleton rows={4} label={`Loading ${TITLE[dimension]}`} />;
  if (top.isError) return <ErrorState error={top.error} onRetry={() => top.refetch()} />;
  // An empty value (e.g. the database of a failed log-in) has no search term: listed, not linked.
  const items = top.data.values.map((v) => ({
    label: v.value === '' ? '(empty)' : v.value,
    value: v.count,
    failed: v.failed,
    href: v.value === '' ? null : link(`${range.q} ${FIELD[dimension]}:${JSON.stringify(v.value)}`.trim()),
  }));
  return <BarList title={TITLE[dimension]} items={items} empty="Nothing in this range." />;
}
