import { z } from 'zod';
import { instantSchema } from '../../../../lib/audit/query-model';
import { getAuditService } from '../../../../lib/audit/service-singleton';
import { callOptions, readParams } from '../../../../lib/http/api-params';
import { withRoute } from '../../../../lib/http/route';

const paramsSchema = z.object({ eventId: z.string().min(1).max(256) });
const searchSchema = z.object({ at: instantSchema.optional() }).strict();

/** GET ?at → { event, companions }: one event (hidden and missing are both 404) and its MySQL AUX companions. */
export const GET = withRoute<{ eventId: string }>(
  async (request, { principal, requestId, params }) => {
    const { eventId } = paramsSchema.parse(params);
    const { at } = searchSchema.parse(readParams(request.nextUrl.searchParams));
    const view = await getAuditService().getEvent(
      principal,
      { id: eventId, at },
      callOptions(request, requestId),
    );
    return Response.json(view);
  },
  { auth: 'required' },
);
