'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { authFailuresOptions } from '../../lib/client/query-options';
import { formatTime } from '../ui/format';
import { formatNumber } from '../ui/stat';
import { ErrorState, Skeleton } from '../ui/states';

/** Failed log-ins by user and source host; each row opens the explorer on those failures. */
export function AuthFailuresCard({
  range,
  link,
  enabled = true,
}: {
  range: { q: string; from: string; to: string };
  link: (q: string) => string;
  enabled?: boolean;
}) {
  const auth = useQuery({ ...authFailuresOptions(range), enabled });
  return (
    <section className="card" aria-labelledby="auth-heading">
      <h2 id="auth-heading">Authentication failures</h2>
      {auth.isPending ? <Skeleton rows={3} label="Loading authentication failures" /> : null}
      {auth.isError ? <ErrorState error={auth.error} onRetry={() => auth.refetch()} /> : null}
      {auth.data?.bySource.length === 0 ? <p className="muted">No failed log-ins in this range.</p> : null}
      {auth.data !== undefined && auth.data.bySource.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Host</th>
              <th scope="col" className="num">
                Failures
              </th>
              <th scope="col">First</th>
              <th scope="col">Last</th>
            </tr>
          </thead>
          <tbody>
            {auth.data.bySource.map((s) => (
              <tr key={`${s.user}|${s.host}`}>
                <td>
                  <Link href={link(`class:AUTH_FAILURE user:${JSON.stringify(s.user)}`)}>{s.user}</Link>
                </td>
                <td className="mono">{s.host ?? '—'}</td>
                <td className="num">{formatNumber(s.count)}</td>
                <td className="mono">{formatTime(s.firstTime)}</td>
                <td className="mono">{formatTime(s.lastTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
