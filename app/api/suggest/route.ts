import { parseActivityRequest } from '../../../lib/audit/activity-request';
import { getAuditService } from '../../../lib/audit/service-singleton';
import { callOptions, readParams } from '../../../lib/http/api-params';
import { withRoute } from '../../../lib/http/route';
import { suggestRequestSchema, suggestValues } from '../../../lib/http/suggest';

/** GET ?field=user|db|object|host|app|command|cluster&prefix&n&q&from&to → { field, values: [{ value, count }], sampled } */
export const GET = withRoute(
  async (request, { principal, requestId }) => {
    const raw = readParams(request.nextUrl.searchParams);
    const req = suggestRequestSchema.parse(raw);
    const query = parseActivityRequest(raw);
    const result = await suggestValues(
      getAuditService(),
      principal,
      req,
      query,
      callOptions(request, requestId),
    );
    return Response.json(result);
  },
  { auth: 'required' },
);
