import type { Role } from '../config/schema';
import { ForbiddenError } from '../http/errors';
import { expandVocabulary, type FieldFilter, type SearchFilters, wildcardRegExp } from './query-model';
import { ACTIVITY_CLASSES, type ActivityClass } from './schema';

/**
 * Need-to-know: a principal's roles applied to a request. Each role yields a scope (classes ×
 * resources × databases); the query matches the union of the scopes, so two roles never combine
 * into more than either grants. An empty result of the grant is 403; an empty result of the
 * request itself (e.g. `class:DDL -class:DDL`) is just no rows.
 */

export interface NamedRole {
  readonly name: string;
  readonly grant: Role;
}

/**
 * Who is asking. lib/auth/principal.ts's Principal satisfies this structurally; `roleGrants`, when
 * given, keeps roles apart (a union of per-role scopes) instead of the merged `grant`, which can
 * widen (role A's classes × role B's databases).
 */
export interface AccessPrincipal {
  /** Stable id for the access log (`local:<name>`, `oidc:<sub>`), when known. */
  readonly id?: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly grant: Role;
  readonly roleGrants?: readonly NamedRole[];
}

export interface GrantScope {
  readonly role: string;
  readonly classes: readonly ActivityClass[];
  /** '*' = every value the request asks for; a list = exactly these values. */
  readonly resources: readonly string[] | '*';
  readonly databases: readonly string[] | '*';
  readonly fullText: boolean;
}

export interface EffectiveGrant {
  /** Union of the scopes' classes, in ACTIVITY_CLASSES order: the `class` partition predicate. */
  readonly classes: readonly ActivityClass[];
  readonly scopes: readonly GrantScope[];
}

export interface GrantOptions {
  /** 'export' keeps only roles with the export right. */
  readonly purpose?: 'read' | 'export';
  /** Reads about one kind of event (DDL timeline, auth failures) narrow the classes first. */
  readonly onlyClasses?: readonly ActivityClass[];
}

/** The roles a principal's reads are scoped by. */
export function rolesOf(principal: AccessPrincipal): readonly NamedRole[] {
  return principal.roleGrants ?? [{ name: principal.roles.join('+'), grant: principal.grant }];
}

/** A principal holding exactly the named roles (the CLI's `--as-role`, tests); unknown names are dropped. */
export function principalForRoles(
  name: string,
  roleNames: readonly string[],
  roles: Record<string, Role>,
): AccessPrincipal {
  const roleGrants = roleNames.flatMap((role) => {
    const grant = roles[role];
    return grant === undefined ? [] : [{ name: role, grant }];
  });
  const grant = roleGrants[0]?.grant;
  if (grant === undefined) throw new ForbiddenError('None of the roles exists');
  return { name, roles: roleGrants.map((r) => r.name), grant, roleGrants };
}

/** Classes a request's class terms select (all when there are none). */
export function requestedClasses(terms: readonly FieldFilter[] | undefined): ActivityClass[] {
  return (terms ?? []).reduce<ActivityClass[]>(
    (acc, term) => {
      const hit = new Set(expandVocabulary(term.values, ACTIVITY_CLASSES));
      return acc.filter((c) => hit.has(c) !== term.negate);
    },
    [...ACTIVITY_CLASSES],
  );
}

/** Whether a value satisfies every term (wildcards case-sensitive, as in SQL LIKE). */
export function matchesTerms(value: string, terms: readonly FieldFilter[] | undefined): boolean {
  return (terms ?? []).every(
    (term) => term.values.some((v) => wildcardRegExp(v).test(value)) !== term.negate,
  );
}

function narrowList(
  granted: Role['databases'],
  terms: readonly FieldFilter[] | undefined,
): readonly string[] | '*' {
  return granted === '*' ? '*' : granted.filter((v) => matchesTerms(v, terms));
}

const isEmpty = (list: readonly string[] | '*'): boolean => list !== '*' && list.length === 0;

/**
 * The scopes a request may see, or null when the request selects nothing by itself.
 * Throws ForbiddenError when the request selects something but the grant allows none of it.
 */
export function resolveGrant(
  principal: AccessPrincipal,
  filters: SearchFilters,
  options: GrantOptions = {},
): EffectiveGrant | null {
  const only = options.onlyClasses;
  const wanted = requestedClasses(filters.class).filter((c) => only === undefined || only.includes(c));
  if (wanted.length === 0) return null;
  const roles = rolesOf(principal).filter((r) => options.purpose !== 'export' || r.grant.export);
  if (roles.length === 0)
    throw new ForbiddenError(options.purpose === 'export' ? 'Export is not allowed' : 'Not allowed');
  const hasText = (filters.text?.length ?? 0) > 0;
  const candidates = roles.map((r) => toScope(r, wanted, filters)).filter((s) => s !== null);
  // Searching text under masked rights would reveal literals by their matches: full-text scopes only.
  const scopes = hasText ? candidates.filter((s) => s.fullText) : candidates;
  if (scopes.length === 0) {
    throw new ForbiddenError(
      candidates.length > 0
        ? 'Searching statement text needs full statement-text rights'
        : 'Not allowed by your roles',
    );
  }
  const classes = ACTIVITY_CLASSES.filter((c) => scopes.some((s) => s.classes.includes(c)));
  return { classes, scopes };
}

function toScope(
  role: NamedRole,
  wanted: readonly ActivityClass[],
  filters: SearchFilters,
): GrantScope | null {
  const granted = role.grant.classes;
  const classes = wanted.filter((c) => granted === '*' || granted.includes(c));
  const resources = narrowList(role.grant.resources, filters.cluster);
  const databases = narrowList(role.grant.databases, filters.db);
  if (classes.length === 0 || isEmpty(resources) || isEmpty(databases)) return null;
  return { role: role.name, classes, resources, databases, fullText: role.grant.statementText === 'full' };
}

export interface ScopedRow {
  readonly class: string;
  readonly resource_id: string;
  readonly database_name: string;
}

function covers(scope: GrantScope, row: ScopedRow): boolean {
  return (
    scope.classes.some((c) => c === row.class) &&
    (scope.resources === '*' || scope.resources.includes(row.resource_id)) &&
    (scope.databases === '*' || scope.databases.includes(row.database_name))
  );
}

/** Defence in depth: the SQL already restricts rows to the scopes; this re-checks each row. */
export function isVisible(grant: EffectiveGrant, row: ScopedRow): boolean {
  return grant.scopes.some((s) => covers(s, row));
}

/** Full statement text only when a full-text scope covers the row; otherwise it is masked. */
export function hasFullText(grant: EffectiveGrant, row: ScopedRow): boolean {
  return grant.scopes.some((s) => s.fullText && covers(s, row));
}

export function canReadAccessLog(principal: AccessPrincipal): boolean {
  return rolesOf(principal).some((r) => r.grant.accessLog);
}

export function canExport(principal: AccessPrincipal): boolean {
  return rolesOf(principal).some((r) => r.grant.export);
}
