import type { ActivityClass } from '../../lib/audit/schema';
import type { OverviewStats } from '../../lib/client/api';
import { Stat } from '../ui/stat';

/** Headline numbers; each opens the explorer with the matching search (classes outside the grant are not shown). */
export function StatGrid({
  stats,
  classes,
  link,
}: {
  stats: OverviewStats;
  classes: readonly ActivityClass[];
  link: (q: string) => string;
}) {
  return (
    <section className="stat-grid" aria-label="Totals">
      <Stat label="Statements" value={stats.events} href={link('')} testId="stat-events" />
      {classes.includes('DDL') ? (
        <Stat label="DDL" value={stats.ddl} href={link('class:DDL')} testId="stat-ddl" />
      ) : null}
      {classes.includes('DCL') ? (
        <Stat label="DCL" value={stats.dcl} href={link('class:DCL')} testId="stat-dcl" />
      ) : null}
      <Stat label="Failed" value={stats.failed} href={link('failed:true')} testId="stat-failed" />
      <Stat
        label={classes.includes('ERROR') ? 'Errors (failed or ERROR)' : 'Errors (failed)'}
        value={stats.errors}
        testId="stat-errors"
      />
      {classes.includes('AUTH_FAILURE') ? (
        <Stat
          label="Auth failures"
          value={stats.authFailures}
          href={link('class:AUTH_FAILURE')}
          testId="stat-auth"
        />
      ) : null}
      <Stat label="Distinct users (approx.)" value={stats.distinctUsers} testId="stat-users" />
    </section>
  );
}
