import { describe, expect, it } from 'vitest';
import type { AccessPrincipal } from '../audit/grants';
import { defaultConfig } from '../config/load';
import { DEFAULT_ROLES, type Role } from '../config/schema';
import { buildPrincipal, effectiveGrant, summarizeGrant } from './principal';

const role = (over: Partial<Role>): Role => ({
  classes: ['DDL'],
  resources: '*',
  databases: '*',
  statementText: 'masked',
  export: false,
  accessLog: false,
  ...over,
});

describe('effectiveGrant', () => {
  it('is the role itself for a single role', () => {
    // Act
    const grant = effectiveGrant([DEFAULT_ROLES['security-lead'] ?? role({})]);

    // Assess
    expect(grant).toEqual(DEFAULT_ROLES['security-lead']);
  });

  it('unions classes (in class order), resources and databases; any right wins', () => {
    // Prepare
    const a = role({ classes: ['DML', 'DDL'], databases: ['sales'], resources: ['cluster-b'] });
    const b = role({ classes: ['DCL'], databases: ['app', 'sales'], resources: ['cluster-a'], export: true });
    const c = role({ classes: ['CONNECT'], statementText: 'full', accessLog: true });

    // Act
    const ab = effectiveGrant([a, b]);
    const abc = effectiveGrant([a, b, c]);

    // Assess
    expect(ab).toMatchObject({
      classes: ['DDL', 'DML', 'DCL'],
      databases: ['app', 'sales'],
      resources: ['cluster-a', 'cluster-b'],
      statementText: 'masked',
      export: true,
      accessLog: false,
    });
    expect(abc).toMatchObject({
      classes: ['DDL', 'DML', 'DCL', 'CONNECT'],
      databases: '*',
      statementText: 'full',
      accessLog: true,
    });
  });

  it("gives '*' when any role has '*' or the union covers every class", () => {
    // Prepare
    const all = role({
      classes: ['DDL', 'DML', 'DQL', 'DCL', 'TCL', 'CONNECT', 'DISCONNECT', 'AUTH_FAILURE', 'ERROR'],
    });

    // Act + Assess
    expect(effectiveGrant([role({}), role({ classes: '*' })]).classes).toBe('*');
    expect(effectiveGrant([all, role({ classes: ['OTHER'] })]).classes).toBe('*');
  });

  it('refuses an empty role list (no role is no access, never everything)', () => {
    expect(() => effectiveGrant([])).toThrow(/at least one role/);
  });
});

describe('buildPrincipal', () => {
  it('keeps known roles only, with per-role grants for the query layer', () => {
    // Prepare
    const config = defaultConfig();

    // Act
    const principal = buildPrincipal(
      {
        id: 'local:ann',
        name: 'ann',
        idp: 'local',
        roles: ['app-team', 'ghost-role', 'security-lead'],
        sessionId: 's',
      },
      config,
    );
    const accessPrincipal: AccessPrincipal | null = principal; // structural contract with lib/audit/grants.ts

    // Assess
    expect(principal?.roles).toEqual(['security-lead', 'app-team']);
    expect(principal?.roleGrants.map((r) => r.name)).toEqual(['security-lead', 'app-team']);
    expect(principal?.grant.statementText).toBe('full');
    expect(accessPrincipal?.roleGrants?.[1]?.grant).toEqual(DEFAULT_ROLES['app-team']);
  });

  it('is null when no role exists', () => {
    expect(
      buildPrincipal({ id: 'x', name: 'x', idp: 'oidc', roles: ['nope'], sessionId: 's' }, defaultConfig()),
    ).toBeNull();
  });
});

describe('summarizeGrant', () => {
  it("spells out '*' classes for the browser", () => {
    // Act
    const summary = summarizeGrant(DEFAULT_ROLES.admin ?? role({}));

    // Assess
    expect(summary.classes).toHaveLength(10);
    expect(summarizeGrant(DEFAULT_ROLES['security-lead'] ?? role({})).classes).toEqual([
      'DDL',
      'DCL',
      'CONNECT',
      'DISCONNECT',
      'AUTH_FAILURE',
      'ERROR',
    ]);
    expect(summary).toMatchObject({ resources: '*', databases: '*', export: true, accessLog: true });
  });
});
