import type { MeResponse } from '../../../lib/auth/me';
import { summarizeGrant } from '../../../lib/auth/principal';
import { SESSION_LIMITS } from '../../../lib/auth/session-token';
import { withRoute } from '../../../lib/http/route';

/** The signed-in principal, the effective grant, the CSRF token and the session limits. */
export const GET = withRoute(
  async (_request, { principal, session }) => {
    const body: MeResponse = {
      user: { id: principal.id, name: principal.name, idp: principal.idp, roles: [...principal.roles] },
      grant: summarizeGrant(principal.grant),
      csrfToken: session.claims.csrf,
      session: {
        expiresAt: session.claims.exp,
        absoluteExpiresAt: session.claims.auth_time + SESSION_LIMITS.absoluteS,
      },
    };
    return Response.json(body);
  },
  { auth: 'required' },
);
