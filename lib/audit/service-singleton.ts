import 'server-only';
import { env } from '../env';
import { getQueryEngine } from '../query';
import { openStore } from '../store';
import { AccessLog } from './access-log';
import { AuditService } from './service';

let service: AuditService | undefined;

function createFromEnv(): AuditService {
  const store = env.store;
  const location =
    store.kind === 'local'
      ? { kind: 'local' as const, dir: store.path }
      : { kind: 's3' as const, bucket: store.bucket, prefix: store.prefix };
  return new AuditService({ engine: getQueryEngine(), accessLog: new AccessLog(openStore(location)) });
}

/** The process-wide AuditService: the engine from lib/query, the access log in the configured store. */
export function getAuditService(): AuditService {
  service ??= createFromEnv();
  return service;
}
