import { z } from 'zod';
import { instantSchema } from '../../../lib/audit/query-model';
import { getAuditService } from '../../../lib/audit/service-singleton';
import { callOptions, readParams } from '../../../lib/http/api-params';
import { withRoute } from '../../../lib/http/route';

const sessionSchema = z
  .object({
    sessionId: z.string().min(1).max(256),
    resourceId: z.string().min(1).max(256).optional(),
    from: instantSchema.optional(),
    to: instantSchema.optional(),
    at: instantSchema.optional(),
  })
  .strict();

/**
 * GET ?sessionId&resourceId&from&to&at → SessionView { sessionId, resourceId, events, truncated,
 * summary, range, connects }. from/to are the time hint (default: the last 24 hours); `at`, an
 * event's time, picks one use of a reused session id.
 */
export const GET = withRoute(
  async (request, { principal, requestId }) => {
    const lookup = sessionSchema.parse(readParams(request.nextUrl.searchParams));
    const view = await getAuditService().getSession(principal, lookup, callOptions(request, requestId));
    return Response.json(view);
  },
  { auth: 'required' },
);
