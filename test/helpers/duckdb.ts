import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Every activity row under a local store, read with DuckDB (hive partitions from the path). */
export async function readActivity(
  storeDir: string,
  orderBy = 'event_id',
): Promise<Record<string, unknown>[]> {
  const dir = join(storeDir, 'activity');
  if (!existsSync(dir)) return [];
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const glob = join(dir, '**', '*.parquet').replaceAll("'", "''");
    const reader = await conn.runAndReadAll(
      `SELECT * FROM read_parquet('${glob}', hive_partitioning = true) ORDER BY ${orderBy}`,
    );
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
