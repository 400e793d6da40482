import { getAuditService } from '../../../lib/audit/service-singleton';
import {
  accessLogCsv,
  accessLogRequestSchema,
  filterEntries,
  toServiceQuery,
} from '../../../lib/http/access-log-view';
import { callOptions, readParams } from '../../../lib/http/api-params';
import { withRoute } from '../../../lib/http/route';

/**
 * GET ?from&to&limit&user&action&format=json|csv → { entries } or a CSV attachment.
 * Only roles with the access-log right (the service answers 403 otherwise).
 */
export const GET = withRoute(
  async (request, { principal, requestId }) => {
    const req = accessLogRequestSchema.parse(readParams(request.nextUrl.searchParams));
    const page = await getAuditService().readAccessLog(
      principal,
      toServiceQuery(req),
      callOptions(request, requestId),
    );
    const entries = filterEntries(page.entries, req);
    if (req.format === 'json') return Response.json({ entries });
    return new Response(accessLogCsv(entries), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="dasboard-access-log.csv"',
      },
    });
  },
  { auth: 'required' },
);
