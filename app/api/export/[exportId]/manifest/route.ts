import { z } from 'zod';
import { NotFoundError } from '../../../../../lib/http/errors';
import { getExportManifestStore } from '../../../../../lib/http/export-manifests';
import { withRoute } from '../../../../../lib/http/route';

const paramsSchema = z.object({ exportId: z.uuid() });

/**
 * GET → { exportId, status: pending|complete|incomplete|failed, manifest: ExportManifest | null }.
 * Only the user who started the export can read it; anyone else gets the same 404 as a missing id.
 */
export const GET = withRoute<{ exportId: string }>(
  async (_request, { principal, params }) => {
    const { exportId } = paramsSchema.parse(params);
    const entry = getExportManifestStore().get(exportId, principal.id);
    if (entry === undefined) throw new NotFoundError('Export not found');
    return Response.json({ exportId, status: entry.status, manifest: entry.manifest });
  },
  { auth: 'required' },
);
