import '../../../components/ui/dashboard.css';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SessionView } from '../../../components/sessions/session-view';
import { Skeleton } from '../../../components/ui/states';
import { requirePagePrincipal } from '../../../lib/auth/session';

export const metadata: Metadata = { title: 'Sessions' };

export default async function SessionsPage() {
  await requirePagePrincipal();
  return (
    <>
      <div className="page-header">
        <h1>Sessions</h1>
      </div>
      <Suspense fallback={<Skeleton rows={6} label="Loading session" />}>
        <SessionView now={Date.now()} />
      </Suspense>
    </>
  );
}
