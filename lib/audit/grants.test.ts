import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '../config/schema';
import { ForbiddenError } from '../http/errors';
import { duckdbDialect } from '../query/dialect';
import { canExport, canReadAccessLog, hasFullText, principalForRoles, resolveGrant } from './grants';
import { buildListQuery } from './queries';
import { ACTIVITY_CLASSES } from './schema';
import { parseSearch, SearchSyntaxError } from './search-syntax';

function roleNamed(name: string) {
  const role = DEFAULT_ROLES[name];
  if (role === undefined) throw new Error(`no role ${name}`);
  return role;
}
const as = (...roles: string[]) => principalForRoles('tester', roles, DEFAULT_ROLES);
const grant = (role: string, q: string, options = {}) => resolveGrant(as(role), parseSearch(q), options);
const forbidden =
  (role: string, q: string, options = {}) =>
  () =>
    grant(role, q, options);
const SECURITY = ['DDL', 'DCL', 'CONNECT', 'DISCONNECT', 'AUTH_FAILURE', 'ERROR'];

describe('resolveGrant for the default roles', () => {
  it.each(['admin', 'auditor'])('%s: everything, no scope predicate needed', (role) => {
    for (const q of ['', 'class:*', 'db:*', 'db:sales cluster:cluster-X', '"drop table"']) {
      const g = grant(role, q);
      expect(g?.classes).toEqual([...ACTIVITY_CLASSES]);
      expect(g?.scopes).toEqual([
        { role, classes: [...ACTIVITY_CLASSES], resources: '*', databases: '*', fullText: true },
      ]);
    }
  });

  it('security-lead: narrowed to its classes, refused where nothing is left', () => {
    expect(grant('security-lead', '')?.classes).toEqual(ACTIVITY_CLASSES.filter((c) => SECURITY.includes(c)));
    expect(grant('security-lead', 'class:*')?.classes).toEqual(
      ACTIVITY_CLASSES.filter((c) => SECURITY.includes(c)),
    );
    expect(grant('security-lead', 'class:DDL,DML,DQL')?.classes).toEqual(['DDL']);
    expect(grant('security-lead', 'class:D*')?.classes).toEqual(['DDL', 'DCL', 'DISCONNECT']);
    expect(forbidden('security-lead', 'class:DML')).toThrow(ForbiddenError);
    expect(forbidden('security-lead', 'class:DML,DQL,TCL,OTHER')).toThrow(ForbiddenError);
    expect(forbidden('security-lead', '-class:DDL,DCL,CONNECT,DISCONNECT,AUTH_FAILURE,ERROR')).toThrow(
      ForbiddenError,
    );
    expect(forbidden('security-lead', '', { purpose: 'export' })).toThrow('Export is not allowed');
    expect(grant('security-lead', '"drop table"')?.scopes[0]?.fullText).toBe(true);
  });

  it('app-team: its databases only, masked, no free text, no export', () => {
    const expected = {
      role: 'app-team',
      classes: ['DDL', 'DML'],
      resources: '*',
      databases: ['app'],
      fullText: false,
    };
    for (const q of ['', 'db:*', 'db:app', 'db:a*', 'db:app,sales', 'class:*', 'class:DDL,DML,DCL']) {
      expect(grant('app-team', q)?.scopes, q).toEqual([expected]);
    }
    expect(grant('app-team', 'class:DML')?.classes).toEqual(['DML']);
    // Asking for a database outside the grant is a 403, the same rule as for classes.
    for (const q of [
      'db:sales',
      'db:s*',
      '-db:app',
      'db:APP',
      'class:DCL',
      'class:DQL db:app',
      'db:"app\\" OR 1=1 --"',
    ]) {
      expect(forbidden('app-team', q), q).toThrow(ForbiddenError);
    }
    expect(forbidden('app-team', '"drop table"')).toThrow(
      'Searching statement text needs full statement-text rights',
    );
    expect(forbidden('app-team', '', { purpose: 'export' })).toThrow(ForbiddenError);
  });

  it('returns null (no rows, not 403) when the request contradicts itself', () => {
    expect(grant('app-team', 'class:DDL -class:DDL')).toBeNull();
    expect(grant('security-lead', 'class:DML', { onlyClasses: ['DDL'] })).toBeNull();
  });

  it('keeps several roles apart: a union of scopes, never their product', () => {
    const both = as('app-team', 'security-lead');
    const g = resolveGrant(both, parseSearch('class:DML,DCL'));
    expect(g?.scopes).toEqual([
      { role: 'app-team', classes: ['DML'], resources: '*', databases: ['app'], fullText: false },
      { role: 'security-lead', classes: ['DCL'], resources: '*', databases: '*', fullText: true },
    ]);
    expect(() => resolveGrant(both, parseSearch('class:DML db:sales'))).toThrow(ForbiddenError);
    const row = { class: 'DDL', resource_id: 'cluster-A', database_name: 'app' };
    const ddl = resolveGrant(both, parseSearch('class:DDL'));
    expect(ddl === null ? null : hasFullText(ddl, row)).toBe(true);
    const dml = resolveGrant(both, parseSearch('class:DML'));
    expect(dml === null ? null : hasFullText(dml, { ...row, class: 'DML' })).toBe(false);
  });

  it('uses the merged grant of lib/auth principals when no per-role grants are given', () => {
    const merged = { name: 'bob', roles: ['app-team'], grant: roleNamed('app-team') };
    expect(() => resolveGrant(merged, parseSearch('db:x'))).toThrow(ForbiddenError);
    expect(resolveGrant(merged, parseSearch('db:app'))?.scopes[0]?.role).toBe('app-team');
    expect(canExport(merged)).toBe(false);
    expect(canReadAccessLog(as('admin'))).toBe(true);
    expect(canReadAccessLog(as('auditor'))).toBe(false);
  });

  it('refuses search-syntax injection before any SQL exists', () => {
    expect(() => parseSearch('db:app" OR 1=1 --')).toThrow(SearchSyntaxError);
  });

  it('passes SQL metacharacters in values as parameters, never as text', () => {
    const filters = parseSearch('db:"x\' OR \'1\'=\'1" user:"a; DROP TABLE t; --"');
    const g = resolveGrant(as('admin'), filters);
    if (g === null) throw new Error('expected a grant');
    const q = buildListQuery(
      duckdbDialect({ storeRoot: '/s' }),
      {
        range: { from: '2026-01-10T00:00:00.000Z', to: '2026-01-11T00:00:00.000Z' },
        filters,
        sort: { column: 'event_time', direction: 'desc' },
        limit: 10,
      },
      g,
    );
    expect(q.params).toContain("x' OR '1'='1");
    expect(q.params).toContain('a; DROP TABLE t; --');
    expect(q.text).not.toContain('DROP');
    expect(q.text).not.toContain("'1'='1");
  });
});
