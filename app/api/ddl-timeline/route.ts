import { z } from 'zod';
import { parseActivityRequest } from '../../../lib/audit/activity-request';
import { getAuditService } from '../../../lib/audit/service-singleton';
import { groupByObject } from '../../../lib/audit/service-timeline';
import { callOptions, readParams } from '../../../lib/http/api-params';
import { withRoute } from '../../../lib/http/route';

const viewSchema = z.object({ group: z.enum(['none', 'object']).default('none') });

/** GET ?q&from&to&cursor&limit[&group=object] → { entries, nextCursor } (DDL only, newest first). */
export const GET = withRoute(
  async (request, { principal, requestId }) => {
    const raw = readParams(request.nextUrl.searchParams);
    const { group } = viewSchema.parse(raw);
    const query = parseActivityRequest(raw);
    const timeline = await getAuditService().ddlTimeline(principal, query, callOptions(request, requestId));
    return Response.json(
      group === 'object' ? { ...timeline, objects: groupByObject(timeline.entries) } : timeline,
    );
  },
  { auth: 'required' },
);
