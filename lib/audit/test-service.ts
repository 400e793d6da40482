import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckdbEngine } from '../query/duckdb';
import { LocalStore } from '../store/local';
import { AccessLog } from './access-log';
import { writeFixtureStore } from './fixture-store';
import { makeFixtureEvents } from './fixtures';
import type { ClassifiedEvent } from './schema';
import { AuditService } from './service';

/** Test wiring: the fixture dataset as Parquet in a temp store, DuckDB over it, a pinned clock. */
export const FIXTURE_NOW = new Date('2026-01-12T00:00:00.000Z');

export interface FixtureService {
  readonly service: AuditService;
  readonly engine: DuckdbEngine;
  readonly accessLog: AccessLog;
  readonly events: ClassifiedEvent[];
  readonly root: string;
  cleanup(): Promise<void>;
}

export async function createFixtureService(
  events: ClassifiedEvent[] = makeFixtureEvents(),
): Promise<FixtureService> {
  const root = await mkdtemp(path.join(tmpdir(), 'dasboard-h5a-'));
  await writeFixtureStore(root, events);
  const engine = new DuckdbEngine({ storeRoot: root });
  const accessLog = new AccessLog(new LocalStore(root));
  const service = new AuditService({ engine, accessLog, now: () => FIXTURE_NOW });
  return {
    service,
    engine,
    accessLog,
    events,
    root,
    async cleanup() {
      await engine.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
