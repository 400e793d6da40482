import { z } from 'zod';
import { ACTIVITY_CLASSES, activityClassSchema } from '../audit/schema';

/**
 * The dasboard config file (`DASBOARD_CONFIG`, JSON): roles, local users, OIDC and ingest filter
 * rules. Pure module (no fs): loading lives in lib/config/load.ts.
 */

export const textAccessSchema = z.enum(['full', 'masked']);
export type TextAccess = z.infer<typeof textAccessSchema>;

/** `"*"` means every value; otherwise an explicit list (exact match, case-sensitive). */
const scopeListSchema = z.union([z.literal('*'), z.array(z.string().min(1)).min(1)]);
export type ScopeList = z.infer<typeof scopeListSchema>;

export const roleSchema = z
  .object({
    description: z.string().optional(),
    classes: z.union([z.literal('*'), z.array(activityClassSchema).min(1)]),
    resources: scopeListSchema.default('*'),
    databases: scopeListSchema.default('*'),
    statementText: textAccessSchema.default('full'),
    export: z.boolean().default(false),
    accessLog: z.boolean().default(false),
  })
  .strict();
export type Role = z.infer<typeof roleSchema>;

export const localUserSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'user names are 1-64 of A-Z a-z 0-9 . _ @ -'),
    roles: z.array(z.string().min(1)).min(1),
    /** `scrypt$N$r$p$<salt b64>$<hash b64>` */
    passwordHash: z.string().startsWith('scrypt$'),
  })
  .strict();
export type LocalUser = z.infer<typeof localUserSchema>;

export const oidcSchema = z
  .object({
    issuer: z.url(),
    clientId: z.string().min(1),
    /** Name of the environment variable holding the client secret (never the secret itself). */
    clientSecretEnv: z.string().optional(),
    scopes: z.array(z.string()).default(['openid', 'profile', 'email']),
    groupsClaim: z.string().default('groups'),
    /** group name → role names */
    groupRoles: z.record(z.string(), z.array(z.string().min(1))),
  })
  .strict();
export type OidcConfig = z.infer<typeof oidcSchema>;

export const filterRuleSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'rule names are 1-64 of A-Z a-z 0-9 _ . -'),
    description: z.string().optional(),
    /** Every given criterion must match for the rule to drop an event (AND); lists are OR. */
    classes: z.array(activityClassSchema).min(1).optional(),
    users: z.array(z.string().min(1)).min(1).optional(),
    databases: z.array(z.string()).min(1).optional(),
    clientApplications: z.array(z.string()).min(1).optional(),
    /** JavaScript regular expression (case-insensitive) tested against command_text. */
    textPattern: z.string().min(1).optional(),
  })
  .strict()
  .refine(
    (r) => r.classes || r.users || r.databases || r.clientApplications || r.textPattern,
    'a filter rule needs at least one criterion',
  );
export type FilterRule = z.infer<typeof filterRuleSchema>;

export const configSchema = z
  .object({
    roles: z.record(z.string().regex(/^[a-z0-9-]{1,40}$/), roleSchema),
    users: z.array(localUserSchema).default([]),
    oidc: oidcSchema.optional(),
    filters: z.array(filterRuleSchema).default([]),
  })
  .strict();
export type DasboardConfig = z.infer<typeof configSchema>;

/** The default roles of architecture.md. */
export const DEFAULT_ROLES: Record<string, Role> = {
  admin: {
    description: 'Everything, including the access log',
    classes: '*',
    resources: '*',
    databases: '*',
    statementText: 'full',
    export: true,
    accessLog: true,
  },
  auditor: {
    description: 'Every class, full text, export',
    classes: '*',
    resources: '*',
    databases: '*',
    statementText: 'full',
    export: true,
    accessLog: false,
  },
  'security-lead': {
    description: 'Schema, privilege and connection activity; full text; no export',
    classes: ['DDL', 'DCL', 'AUTH_FAILURE', 'CONNECT', 'DISCONNECT', 'ERROR'],
    resources: '*',
    databases: '*',
    statementText: 'full',
    export: false,
    accessLog: false,
  },
  'app-team': {
    description: 'DDL and DML of named databases only, masked text, no export',
    classes: ['DDL', 'DML'],
    resources: '*',
    databases: ['app'],
    statementText: 'masked',
    export: false,
    accessLog: false,
  },
};

export const ALL_CLASSES = ACTIVITY_CLASSES;
