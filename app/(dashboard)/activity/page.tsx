import '../../../components/ui/dashboard.css';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Explorer } from '../../../components/activity/explorer';
import { Skeleton } from '../../../components/ui/states';
import { summarizeGrant } from '../../../lib/auth/principal';
import { requirePagePrincipal } from '../../../lib/auth/session';

export const metadata: Metadata = { title: 'Explorer' };

// `now` is fixed here so that a URL without from/to resolves to one range for the whole visit.
export default async function ActivityPage() {
  const principal = await requirePagePrincipal();
  return (
    <>
      <div className="page-header">
        <h1>Explorer</h1>
      </div>
      <Suspense fallback={<Skeleton rows={8} label="Loading explorer" />}>
        <Explorer
          now={Date.now()}
          canExport={principal.grant.export}
          classes={summarizeGrant(principal.grant).classes}
        />
      </Suspense>
    </>
  );
}
