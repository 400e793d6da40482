import { withRoute } from '../../../lib/http/route';

/** Liveness for load balancers: no session, no secrets, no engine details. */
export const GET = withRoute(async () => Response.json({ status: 'ok' }), { auth: 'public' });
