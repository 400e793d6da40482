import { z } from 'zod';
import { PermanentRecordError } from './errors';

/**
 * The decrypted DAS payload (das-format.md §3). Tolerant by design: AWS adds fields at any time,
 * so unknown fields are allowed, and every field accepts each JSON type seen for it across the
 * four engines (plus null where a sibling engine sends null). Events are validated one by one in
 * normalise.ts, so one odd event does not hide the others. The event schema strips unknown
 * fields from its output (cheaper than copying them): `raw` is serialised from the original object.
 */

const text = z.string().nullish();
const textOrNumber = z.union([z.string(), z.number()]).nullish();
const integer = z.int().nullish();

// Up to ~90 engine-native columns that only `raw` needs: checking each of them would cost more
// than the rest of the event together.
const nativeFields = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'expected an object',
);

export const dasEventSchema = z.object({
  type: z.string().optional(),
  class: text,
  clientApplication: text,
  command: z.string(),
  commandText: text,
  databaseName: text,
  dbid: textOrNumber,
  dbProtocol: text,
  dbUserName: text,
  endTime: text,
  engineNativeAuditFields: nativeFields.nullish(),
  errorMessage: text,
  exitCode: textOrNumber,
  logTime: z.string(),
  netProtocol: text,
  objectName: text,
  objectType: text,
  paramList: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).nullish(),
  pid: integer,
  remoteHost: text,
  remotePort: textOrNumber,
  rowCount: integer,
  serverHost: text,
  serverType: text,
  serverVersion: text,
  serviceName: text,
  sessionId: textOrNumber,
  startTime: text,
  statementId: textOrNumber,
  substatementId: integer,
  transactionId: textOrNumber,
});
/** One validated `databaseActivityEventList` entry (a record; heartbeats are not validated). */
export type DasEventInput = z.infer<typeof dasEventSchema>;

export const dasPayloadSchema = z.looseObject({
  type: z.literal('DatabaseActivityMonitoringRecord'),
  clusterId: z.string().nullish(),
  instanceId: z.string().min(1),
  databaseActivityEventList: z.array(z.unknown()),
});
export type DasPayload = z.infer<typeof dasPayloadSchema>;

/** Issue paths and messages only: zod's messages name types, never the offending values. */
export function describeIssues(error: z.ZodError, max = 3): string {
  return error.issues
    .slice(0, max)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

export function parsePayload(payload: unknown): DasPayload {
  const parsed = dasPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    throw new PermanentRecordError(
      'payload-invalid',
      `decrypted payload is not a DAS record: ${describeIssues(parsed.error)}`,
    );
  }
  return parsed.data;
}
