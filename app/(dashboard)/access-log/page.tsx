import '../../../components/ui/dashboard.css';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { AccessLogView } from '../../../components/access-log/access-log-view';
import { Skeleton } from '../../../components/ui/states';
import { requirePagePrincipal } from '../../../lib/auth/session';

export const metadata: Metadata = { title: 'Access log' };

// Without the access-log right the page does not exist for the user (the API answers 403 as well).
export default async function AccessLogPage() {
  const principal = await requirePagePrincipal();
  if (!principal.grant.accessLog) notFound();
  return (
    <>
      <div className="page-header">
        <h1>Access log</h1>
      </div>
      <Suspense fallback={<Skeleton rows={6} label="Loading access log" />}>
        <AccessLogView now={Date.now()} />
      </Suspense>
    </>
  );
}
