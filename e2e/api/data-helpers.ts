import type { APIRequestContext, APIResponse } from '@playwright/test';
import { makeFixtureEvents } from '../../lib/audit/fixtures';
import type { ClassifiedEvent } from '../../lib/audit/schema';
import { DEFAULT_ROLES, type Role } from '../../lib/config/schema';
import { EXPORTER_ROLE } from '../global-setup';
import { type SignedIn, signIn, userFor } from './helpers';

/**
 * Shared by the data API specs: the fixture dataset global-setup wrote (so expected numbers are
 * computed from the same events, not hard-coded), one session per role per worker, and GET helpers.
 */

export const RANGE = { from: '2026-01-10T00:00:00.000Z', to: '2026-01-12T00:00:00.000Z' } as const;
export const WIDE = { ...RANGE, limit: '1000' } as const;
export const FIXTURES: readonly ClassifiedEvent[] = makeFixtureEvents();
export const STATEMENTS = FIXTURES.filter((e) => !e.is_aux);

export const ROLES = ['admin', 'auditor', 'security-lead', 'app-team', 'e2e-exporter'] as const;
export type RoleName = (typeof ROLES)[number];

const GRANTS: Record<RoleName, Pick<Role, 'classes' | 'databases' | 'resources'>> = {
  admin: grantOf('admin'),
  auditor: grantOf('auditor'),
  'security-lead': grantOf('security-lead'),
  'app-team': grantOf('app-team'),
  'e2e-exporter': { classes: ['DDL', 'DCL'], databases: EXPORTER_ROLE.databases, resources: '*' },
};

function grantOf(name: string): Role {
  const grant = DEFAULT_ROLES[name];
  if (grant === undefined) throw new Error(`no default role ${name}`);
  return grant;
}

const within = (list: '*' | readonly string[], value: string) => list === '*' || list.includes(value);

/** What the grant lets `role` see of the fixtures (the oracle the responses are compared with). */
export function visibleTo(
  role: RoleName,
  events: readonly ClassifiedEvent[] = STATEMENTS,
): ClassifiedEvent[] {
  const g = GRANTS[role];
  return events.filter(
    (e) =>
      within(g.classes, e.class) &&
      within(g.databases, e.database_name) &&
      within(g.resources, e.resource_id),
  );
}

const sessions = new Map<RoleName, Promise<SignedIn>>();

/** One sign-in per role and worker (sign-in is throttled and deliberately slow). */
export function sessionOf(request: APIRequestContext, role: RoleName): Promise<SignedIn> {
  let session = sessions.get(role);
  if (session === undefined) {
    session = signIn(request, userFor(role));
    sessions.set(role, session);
  }
  return session;
}

export async function apiGet(
  request: APIRequestContext,
  role: RoleName | null,
  path: string,
  params: Record<string, string> = {},
): Promise<APIResponse> {
  const headers: Record<string, string> =
    role === null ? {} : { cookie: (await sessionOf(request, role)).cookie };
  const query = new URLSearchParams(params).toString();
  return request.get(query === '' ? path : `${path}?${query}`, { headers, maxRedirects: 0 });
}

/** GET that must answer 200 JSON with `no-store`; returns the parsed body. */
export async function getJson(
  request: APIRequestContext,
  role: RoleName,
  path: string,
  params: Record<string, string> = {},
): Promise<unknown> {
  const response = await apiGet(request, role, path, params);
  if (response.status() !== 200) throw new Error(`${path} → ${response.status()}: ${await response.text()}`);
  if (response.headers()['cache-control'] !== 'no-store') throw new Error(`${path} is cacheable`);
  return response.json();
}

export function countBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/** Every GET route of the data API, with parameters that make each a valid request. */
export const ROUTES: readonly { path: string; params: Record<string, string> }[] = [
  { path: '/api/activity', params: WIDE },
  { path: '/api/activity/evt-000001', params: {} },
  { path: '/api/stats/overview', params: RANGE },
  { path: '/api/stats/counts', params: RANGE },
  { path: '/api/stats/top', params: { ...RANGE, dimension: 'user' } },
  { path: '/api/stats/auth-failures', params: RANGE },
  { path: '/api/ddl-timeline', params: RANGE },
  { path: '/api/sessions', params: { ...RANGE, sessionId: 'sess-life' } },
  { path: '/api/export', params: RANGE },
  { path: '/api/export/00000000-0000-4000-8000-000000000000/manifest', params: {} },
  { path: '/api/access-log', params: {} },
  { path: '/api/suggest', params: { ...RANGE, field: 'user' } },
];
