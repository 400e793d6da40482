import { finishOidcSignIn } from '../../../../../lib/auth/oidc-routes';
import { withRoute } from '../../../../../lib/http/route';

/** The identity provider's redirect back: validates and starts the session. */
export const GET = withRoute((request) => finishOidcSignIn(request), { auth: 'public' });
