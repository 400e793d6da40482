import '../../../components/ui/dashboard.css';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DdlTimeline } from '../../../components/ddl/ddl-timeline';
import { Skeleton } from '../../../components/ui/states';
import { requirePagePrincipal } from '../../../lib/auth/session';

export const metadata: Metadata = { title: 'DDL timeline' };

export default async function DdlPage() {
  await requirePagePrincipal();
  return (
    <>
      <div className="page-header">
        <h1>DDL timeline</h1>
      </div>
      <Suspense fallback={<Skeleton rows={6} label="Loading DDL timeline" />}>
        <DdlTimeline now={Date.now()} />
      </Suspense>
    </>
  );
}
