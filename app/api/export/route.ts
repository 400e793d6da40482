import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseActivityRequest } from '../../../lib/audit/activity-request';
import { EXPORT_FORMATS, parseColumnsParam } from '../../../lib/audit/export';
import { getAuditService } from '../../../lib/audit/service-singleton';
import { callOptions, readParams } from '../../../lib/http/api-params';
import { getExportManifestStore } from '../../../lib/http/export-manifests';
import { withRoute } from '../../../lib/http/route';

const exportParamsSchema = z.object({
  format: z.enum(EXPORT_FORMATS).default('csv'),
  columns: z.string().optional(),
});

/**
 * GET ?q&from&to&sort&format=csv|ndjson&columns=all|a,b,… → the events as an attachment, streamed
 * (no row cap). CSV carries every storage column but `raw` unless `columns` says otherwise.
 * Export rights are checked before any byte (403 with a JSON error). `X-Export-Id` names the
 * manifest (row count, SHA-256, bytes) at GET /api/export/{id}/manifest once the download ends.
 */
export const GET = withRoute(
  async (request, { principal, requestId }) => {
    const raw = readParams(request.nextUrl.searchParams);
    const { format, columns } = exportParamsSchema.parse(raw);
    const query = parseActivityRequest(raw);
    const chosen = parseColumnsParam(columns);
    const handle = await getAuditService().exportEvents(
      principal,
      { query, format, ...(chosen === undefined ? {} : { columns: chosen }) },
      callOptions(request, requestId),
    );
    const exportId = randomUUID();
    getExportManifestStore().track(exportId, principal.id, handle.manifest);
    return new Response(handle.body, {
      headers: {
        'content-type': handle.contentType,
        'content-disposition': `attachment; filename="${handle.fileName}"`,
        'x-export-id': exportId,
      },
    });
  },
  { auth: 'required' },
);
