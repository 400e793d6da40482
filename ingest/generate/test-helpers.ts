/** Shared by the generator's tests: AWS's sample payloads, timestamp parsing, flattened runs. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ActivityClass, Engine } from '../../lib/audit/schema';
import { generateTraffic, type TrafficOptions } from './traffic';
import type { DasEvent, GeneratedRecord, Source } from './types';

const SAMPLE_PATHS = [
  fileURLToPath(new URL('../__fixtures__/das-samples.json', import.meta.url)),
  '/work/shared/fixtures/das-samples.json',
];

const samplesSchema = z.array(
  z.object({
    type: z.string(),
    clusterId: z.string().optional(),
    instanceId: z.string(),
    databaseActivityEventList: z.array(z.record(z.string(), z.unknown())),
  }),
);

/** The decrypted sample payloads of das-format §5. */
export function loadSamples(): z.infer<typeof samplesSchema> {
  const path = SAMPLE_PATHS.find((p) => existsSync(p));
  if (!path) throw new Error(`das-samples.json not found in ${SAMPLE_PATHS.join(' or ')}`);
  return samplesSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** Engine of a sample event, told by its serverType. */
export function sampleEngine(e: DasEvent): Engine | null {
  switch (e.serverType) {
    case 'PostgreSQL':
      return 'postgresql';
    case 'MySQL':
      return 'mysql';
    case 'oracle':
      return 'oracle';
    case 'SQLSERVER':
      return 'sqlserver';
    default:
      return null;
  }
}

export const TIMESTAMP_FORMAT: Readonly<Record<Engine, RegExp>> = {
  postgresql: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}\+00$/,
  mysql: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}\+00$/,
  oracle: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/,
  sqlserver: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{7}\+00$/,
};

/** Epoch microseconds of a DAS timestamp of any engine (UTC; 7th SQL Server digit dropped). */
export function parseMicros(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})\.(\d{6})\d?(?:\+00)?$/.exec(text);
  if (!m) throw new Error(`not a DAS timestamp: ${text}`);
  return Date.parse(`${m[1]}T${m[2]}Z`) * 1000 + Number(m[3]);
}

export interface FlatEvent {
  source: Source;
  instanceId: string;
  event: DasEvent;
  cls: ActivityClass;
}

export interface Run {
  records: GeneratedRecord[];
  events: FlatEvent[];
}

/** Runs the generator and flattens audit events in stream order (heartbeats dropped). */
export function run(options: TrafficOptions): Run {
  const records = [...generateTraffic(options)];
  const events: FlatEvent[] = [];
  for (const r of records) {
    r.payload.databaseActivityEventList.forEach((event, i) => {
      const cls = r.classes[i];
      if (cls) events.push({ source: r.source, instanceId: r.payload.instanceId, event, cls });
    });
  }
  return { records, events };
}

export const WEEK: Pick<TrafficOptions, 'from' | 'to'> = {
  from: new Date('2024-05-06T00:00:00Z'),
  to: new Date('2024-05-13T00:00:00Z'),
};

export type JsonType = 'string' | 'number' | 'null' | 'array' | 'object' | 'boolean';

export function jsonType(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'object';
  }
}

// JSON types per field (das-format §3.2, as AWS's examples show): s string, n number, 0 null,
// a array, o object.
const TYPE_SPECS: Readonly<Record<Engine, string>> = {
  postgresql:
    'startTime:s logTime:s statementId:n substatementId:n objectType:s0 command:s objectName:s0 databaseName:s ' +
    'dbUserName:s remoteHost:s remotePort:s sessionId:s rowCount:n0 commandText:s0 paramList:a pid:n ' +
    'clientApplication:s0 exitCode:s0 class:s serverVersion:s serverType:s serviceName:s serverHost:s ' +
    'netProtocol:s dbProtocol:s type:s errorMessage:s0',
  mysql:
    'logTime:s type:s clientApplication:0 pid:n dbUserName:s databaseName:s remoteHost:s remotePort:s command:s ' +
    'commandText:s paramList:0 objectType:s objectName:s statementId:n substatementId:n exitCode:s sessionId:s ' +
    'rowCount:n serverHost:s serverType:s serviceName:s serverVersion:s startTime:s endTime:s transactionId:s ' +
    'dbProtocol:s netProtocol:s errorMessage:s class:s',
  oracle:
    'class:s clientApplication:s0 command:s commandText:s0 dbid:s databaseName:s dbProtocol:s dbUserName:s ' +
    'endTime:0 errorMessage:0 exitCode:n logTime:s netProtocol:s objectName:s0 objectType:s0 paramList:a pid:n ' +
    'remoteHost:s remotePort:s0 rowCount:0 serverHost:s serverType:s serverVersion:s serviceName:s sessionId:n ' +
    'startTime:0 statementId:n substatementId:0 transactionId:s engineNativeAuditFields:o',
  sqlserver:
    'class:s clientApplication:s0 command:s commandText:s databaseName:s dbProtocol:s dbUserName:s endTime:0 ' +
    'errorMessage:0 exitCode:n logTime:s netProtocol:0 objectName:s objectType:s paramList:0 pid:0 remoteHost:s ' +
    'remotePort:0 rowCount:n serverHost:s serverType:s serverVersion:s serviceName:s sessionId:n startTime:0 ' +
    'statementId:s substatementId:n transactionId:s type:s engineNativeAuditFields:o',
};
const LETTERS: Readonly<Record<string, JsonType>> = {
  s: 'string',
  n: 'number',
  '0': 'null',
  a: 'array',
  o: 'object',
};

export const FIELD_TYPES: Readonly<Record<Engine, Readonly<Record<string, readonly JsonType[]>>>> = {
  postgresql: parseTypes(TYPE_SPECS.postgresql),
  mysql: parseTypes(TYPE_SPECS.mysql),
  oracle: parseTypes(TYPE_SPECS.oracle),
  sqlserver: parseTypes(TYPE_SPECS.sqlserver),
};

function parseTypes(spec: string): Record<string, JsonType[]> {
  return Object.fromEntries(
    spec.split(' ').map((token) => {
      const [name = '', letters = ''] = token.split(':');
      return [name, [...letters].map((l) => LETTERS[l] ?? 'boolean')];
    }),
  );
}
