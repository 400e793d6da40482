import { revokeSession } from '../../../../lib/auth/session';
import { withRoute } from '../../../../lib/http/route';

/** POST (session + CSRF token) → the session id is revoked and the cookie deleted. */
export const POST = withRoute(
  async (_request, { session }) => {
    const response = Response.json({ signedOut: true });
    response.headers.append('set-cookie', revokeSession(session));
    return response;
  },
  { auth: 'required' },
);
