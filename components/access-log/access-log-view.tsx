'use client';

import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { accessLogOptions } from '../../lib/client/query-options';
import { readRange, useUrlPatch } from '../../lib/client/url-state';
import { TimeRangePicker } from '../activity/time-range-picker';
import { formatTime } from '../ui/format';
import { formatNumber } from '../ui/stat';
import { EmptyState, ErrorState, Skeleton } from '../ui/states';

const describeRequest = (query: unknown): string => {
  if (typeof query !== 'object' || query === null) return '';
  return Object.entries(query)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
};

/** Who searched, viewed and exported what (admin). */
export function AccessLogView({ now }: { now: number }) {
  const state = readRange(useSearchParams(), now);
  const patch = useUrlPatch();
  const log = useQuery(accessLogOptions({ from: state.from, to: state.to }));
  return (
    <div className="stack">
      <TimeRangePicker key={`${state.from}|${state.to}`} value={state} onChange={(r) => patch(r)} />
      <div aria-live="polite" aria-busy={log.isPending}>
        {log.isPending ? <Skeleton rows={6} label="Loading access log" /> : null}
        {log.isError ? <ErrorState error={log.error} onRetry={() => log.refetch()} /> : null}
        {log.data?.entries.length === 0 ? (
          <EmptyState title="No access in this range">Pick a wider range.</EmptyState>
        ) : null}
      </div>
      {log.data !== undefined && log.data.entries.length > 0 ? (
        <table className="table" aria-label="Access log">
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">User</th>
              <th scope="col">Roles</th>
              <th scope="col">Action</th>
              <th scope="col">Request</th>
              <th scope="col" className="num">
                Rows
              </th>
            </tr>
          </thead>
          <tbody>
            {log.data.entries.map((e, i) => (
              <tr key={`${e.at}-${e.requestId ?? i}`}>
                <td className="mono">{formatTime(e.at)}</td>
                <td>{e.user}</td>
                <td>{e.roles.join(', ')}</td>
                <td>{e.action}</td>
                <td className="mono truncate">{describeRequest(e.query)}</td>
                <td className="num">{formatNumber(e.rows)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
