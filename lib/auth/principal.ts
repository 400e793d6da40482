import { ACTIVITY_CLASSES } from '../audit/schema';
import type { DasboardConfig, Role, ScopeList } from '../config/schema';
import type { MeResponse } from './me';

/** Who is asking, and what their roles let them see. Built on the server from a valid session only. */
export interface Principal {
  /** Stable id: `local:<name>` or `oidc:<sub>`. */
  readonly id: string;
  /** Display name (local user name, or the OIDC preferred_username / email). */
  readonly name: string;
  readonly idp: 'local' | 'oidc';
  /** Role names that exist in the current config (unknown ones are dropped). */
  readonly roles: readonly string[];
  /** The merged grant of `roles` (see effectiveGrant): for display and yes/no rights. */
  readonly grant: Role;
  /**
   * Each role's own grant. The query layer (lib/audit/grants.ts) matches the union of per-role
   * scopes, which never widens the way the merged `grant` can.
   */
  readonly roleGrants: readonly { readonly name: string; readonly grant: Role }[];
  /** Session id, for the access log and revocation. */
  readonly sessionId: string;
}

/**
 * Merges roles into one grant: union of classes, resources and databases; full text if any role
 * shows full text; export / access log if any role allows it. Note: merging per dimension can widen
 * (role A's classes × role B's databases); a user with one role gets exactly that role.
 */
export function effectiveGrant(roles: readonly Role[]): Role {
  const [only, ...others] = roles;
  if (only === undefined) throw new Error('effectiveGrant needs at least one role');
  if (others.length === 0) return { ...only };
  return {
    classes: mergeClasses(roles.map((r) => r.classes)),
    resources: mergeScope(roles.map((r) => r.resources)),
    databases: mergeScope(roles.map((r) => r.databases)),
    statementText: roles.some((r) => r.statementText === 'full') ? 'full' : 'masked',
    export: roles.some((r) => r.export),
    accessLog: roles.some((r) => r.accessLog),
  };
}

/** The role names among `names` that the config defines, in config order, without duplicates. */
export function knownRoleNames(names: readonly string[], config: DasboardConfig): string[] {
  const wanted = new Set(names);
  return Object.keys(config.roles).filter((name) => wanted.has(name));
}

/** A principal, or null when none of the roles exists in the config (no role, no access). */
export function buildPrincipal(
  identity: { id: string; name: string; idp: 'local' | 'oidc'; roles: readonly string[]; sessionId: string },
  config: DasboardConfig,
): Principal | null {
  const roleGrants = knownRoleNames(identity.roles, config).flatMap((name) => {
    const grant = config.roles[name];
    return grant === undefined ? [] : [{ name, grant }];
  });
  if (roleGrants.length === 0) return null;
  return {
    ...identity,
    roles: roleGrants.map((r) => r.name),
    grant: effectiveGrant(roleGrants.map((r) => r.grant)),
    roleGrants,
  };
}

/** What the browser may know about a grant (for /api/me and the shell); no secrets in it. */
export type GrantSummary = MeResponse['grant'];

export function summarizeGrant(grant: Role): GrantSummary {
  return {
    classes: ACTIVITY_CLASSES.filter((c) => grant.classes === '*' || grant.classes.includes(c)),
    resources: grant.resources === '*' ? '*' : [...grant.resources],
    databases: grant.databases === '*' ? '*' : [...grant.databases],
    statementText: grant.statementText,
    export: grant.export,
    accessLog: grant.accessLog,
  };
}

function mergeClasses(lists: readonly Role['classes'][]): Role['classes'] {
  if (lists.some((l) => l === '*')) return '*';
  const wanted = new Set(lists.flatMap((l) => (l === '*' ? [] : l)));
  const merged = ACTIVITY_CLASSES.filter((c) => wanted.has(c));
  return merged.length === ACTIVITY_CLASSES.length ? '*' : merged;
}

function mergeScope(lists: readonly ScopeList[]): ScopeList {
  if (lists.some((l) => l === '*')) return '*';
  const merged = [...new Set(lists.flatMap((l) => (l === '*' ? [] : l)))].sort();
  // The schema forbids empty lists; never let an empty union fall back to "everything".
  if (merged.length === 0) throw new Error('a scope list is empty');
  return merged;
}
