import 'server-only';
import { env } from '../env';
import type { StoreLocation } from '../env-schema';
import { AthenaEngine } from './athena';
import { DuckdbEngine } from './duckdb';
import type { QueryEngine } from './engine';

export type { CompiledQuery, QueryEngine, QueryParam, QueryResult } from './engine';

export interface EngineConfig {
  readonly engine: 'duckdb' | 'athena';
  readonly store: StoreLocation;
  readonly athena?: {
    readonly database: string;
    readonly table: string;
    readonly workgroup: string;
    readonly outputLocation?: string | undefined;
  };
}

/** The only place that branches on the engine name (style rule 4). */
export function createQueryEngine(config: EngineConfig): QueryEngine {
  switch (config.engine) {
    case 'duckdb':
      if (config.store.kind !== 'local') throw new Error('duckdb reads a local store folder only');
      return new DuckdbEngine({ storeRoot: config.store.path });
    case 'athena': {
      const athena = config.athena;
      if (athena === undefined) throw new Error('athena settings are missing');
      return new AthenaEngine({
        database: athena.database,
        table: athena.table,
        workgroup: athena.workgroup,
        ...(athena.outputLocation === undefined ? {} : { outputLocation: athena.outputLocation }),
      });
    }
    default:
      throw new Error(`unknown query engine: ${String(config.engine satisfies never)}`);
  }
}

let engine: QueryEngine | undefined;

/** The process-wide engine, built from lib/env on first use. */
export function getQueryEngine(): QueryEngine {
  engine ??= createQueryEngine({
    engine: env.DASBOARD_ENGINE,
    store: env.store,
    athena: {
      database: env.ATHENA_DATABASE,
      table: env.ATHENA_TABLE,
      workgroup: env.ATHENA_WORKGROUP,
      outputLocation: env.ATHENA_OUTPUT_LOCATION,
    },
  });
  return engine;
}
