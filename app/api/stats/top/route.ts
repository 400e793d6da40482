import { z } from 'zod';
import { parseActivityRequest } from '../../../../lib/audit/activity-request';
import { getAuditService } from '../../../../lib/audit/service-singleton';
import { callOptions, readParams } from '../../../../lib/http/api-params';
import { withRoute } from '../../../../lib/http/route';

// The URL names one value (dimension=user); the service names the ranking (users).
const DIMENSIONS = { user: 'users', database: 'databases', object: 'objects', host: 'hosts' } as const;

const topSchema = z.object({
  dimension: z.enum(['user', 'database', 'object', 'host']),
  n: z.coerce.number().int().min(1).max(100).default(10),
});

/** GET ?dimension=user|database|object|host&n&q&from&to → { dimension, values: [{ value, count, failed }] } */
export const GET = withRoute(
  async (request, { principal, requestId }) => {
    const raw = readParams(request.nextUrl.searchParams);
    const { dimension, n } = topSchema.parse(raw);
    const query = parseActivityRequest(raw);
    const top = await getAuditService().topValues(
      principal,
      { query, dimension: DIMENSIONS[dimension], n },
      callOptions(request, requestId),
    );
    return Response.json({ ...top, dimension });
  },
  { auth: 'required' },
);
