import 'server-only';
import { z } from 'zod';
import { ForbiddenError } from '../http/errors';
import type { AccessLogEntry } from './access-log';
import { type AccessPrincipal, canReadAccessLog } from './grants';
import { activityQuerySchema, instantSchema } from './query-model';
import { type CallOptions, logAccess, type ServiceContext } from './service-context';

export const accessLogQuerySchema = z
  .object({
    from: instantSchema,
    to: instantSchema,
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict();
export type AccessLogQuery = z.input<typeof accessLogQuerySchema>;
export interface AccessLogPage {
  entries: AccessLogEntry[];
}

/** The access log itself (admin page); reading it is logged too. */
export async function readAccessLog(
  ctx: ServiceContext,
  principal: AccessPrincipal,
  input: AccessLogQuery,
  options: CallOptions = {},
): Promise<AccessLogPage> {
  const q = accessLogQuerySchema.parse(input);
  activityQuerySchema.shape.range.parse({ from: q.from, to: q.to });
  if (!canReadAccessLog(principal)) throw new ForbiddenError('Reading the access log is not allowed');
  const entries = await ctx.accessLog.read({ from: q.from, to: q.to }, q.limit);
  await logAccess(ctx, principal, 'access-log', q, { rows: entries.length, bytesScanned: null }, options);
  return { entries };
}
