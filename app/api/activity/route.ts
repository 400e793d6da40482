import { parseActivityRequest } from '../../../lib/audit/activity-request';
import { getAuditService } from '../../../lib/audit/service-singleton';
import { callOptions, readParams } from '../../../lib/http/api-params';
import { withRoute } from '../../../lib/http/route';

/** GET ?q&from&to&sort&cursor&limit → { events, nextCursor } (the grant narrows; see lib/audit/grants). */
export const GET = withRoute(
  async (request, { principal, requestId }) => {
    const query = parseActivityRequest(readParams(request.nextUrl.searchParams));
    const page = await getAuditService().listEvents(principal, query, callOptions(request, requestId));
    return Response.json(page);
  },
  { auth: 'required' },
);
