import { startOidcSignIn } from '../../../../../lib/auth/oidc-routes';
import { withRoute } from '../../../../../lib/http/route';

/** Starts single sign-on: 303 to the identity provider (authorization code + PKCE, state, nonce). */
export const GET = withRoute((request) => startOidcSignIn(request), { auth: 'public' });
