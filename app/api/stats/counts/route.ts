import { parseActivityRequest } from '../../../../lib/audit/activity-request';
import { getAuditService } from '../../../../lib/audit/service-singleton';
import { callOptions, readParams } from '../../../../lib/http/api-params';
import { withRoute } from '../../../../lib/http/route';

/** GET ?q&from&to → { grain, buckets: [{ start, total, counts: { CLASS: n } }] } (dense) */
export const GET = withRoute(
  async (request, { principal, requestId }) => {
    const query = parseActivityRequest(readParams(request.nextUrl.searchParams));
    const result = await getAuditService().countsOverTime(principal, query, callOptions(request, requestId));
    return Response.json(result);
  },
  { auth: 'required' },
);
