import { summarizeGrant } from '../../../../lib/auth/principal';
import { signInWithPassword } from '../../../../lib/auth/sign-in';
import { ValidationError } from '../../../../lib/http/errors';
import { withRoute } from '../../../../lib/http/route';

/** POST { name, password } → session cookie. Same-origin only; throttled (429 + Retry-After). */
export const POST = withRoute(
  async (request) => {
    const body: unknown = await request.json().catch(() => {
      throw new ValidationError('Send a JSON body: { "name": …, "password": … }');
    });
    const { setCookie, principal, csrfToken } = await signInWithPassword(body, request.headers);
    const response = Response.json({
      user: { id: principal.id, name: principal.name, idp: principal.idp, roles: principal.roles },
      grant: summarizeGrant(principal.grant),
      csrfToken,
    });
    response.headers.append('set-cookie', setCookie);
    return response;
  },
  { auth: 'public' },
);
