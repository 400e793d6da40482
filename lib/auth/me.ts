import { z } from 'zod';
import { activityClassSchema } from '../audit/schema';

/** The body of GET /api/me (pure: the route builds it, the browser parses it). */

const scopeSchema = z.union([z.literal('*'), z.array(z.string())]);

export const meResponseSchema = z.object({
  user: z.object({
    id: z.string(),
    name: z.string(),
    idp: z.enum(['local', 'oidc']),
    roles: z.array(z.string()),
  }),
  grant: z.object({
    classes: z.array(activityClassSchema),
    resources: scopeSchema,
    databases: scopeSchema,
    statementText: z.enum(['full', 'masked']),
    export: z.boolean(),
    accessLog: z.boolean(),
  }),
  /** Send as `x-csrf-token` on every POST/PUT/PATCH/DELETE. */
  csrfToken: z.string(),
  session: z.object({
    /** Epoch seconds: idle expiry of the current cookie (moves with activity). */
    expiresAt: z.number(),
    /** Epoch seconds: the session ends here whatever happens. */
    absoluteExpiresAt: z.number(),
  }),
});
export type MeResponse = z.infer<typeof meResponseSchema>;
