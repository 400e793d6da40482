import '../../components/ui/dashboard.css';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Overview } from '../../components/overview/overview';
import { Skeleton } from '../../components/ui/states';
import { summarizeGrant } from '../../lib/auth/principal';
import { requirePagePrincipal } from '../../lib/auth/session';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  const principal = await requirePagePrincipal();
  return (
    <>
      <div className="page-header">
        <h1>Overview</h1>
      </div>
      <Suspense fallback={<Skeleton rows={6} label="Loading overview" />}>
        <Overview now={Date.now()} classes={summarizeGrant(principal.grant).classes} />
      </Suspense>
    </>
  );
}
