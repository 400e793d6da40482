import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBValue, timestampTZValue } from '@duckdb/node-api';
import { ACTIVITY_COLUMNS, type ClassifiedEvent, type ColumnType, dtOf } from './schema';

/**
 * Writes events as the store contract lays them out — `<root>/activity/class=…/dt=…/*.parquet`,
 * partition values in the path only, timestamps UTC-adjusted like the ingest writes them — using
 * DuckDB's partitioned COPY. Test and demo data only.
 */

const SQL_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMPTZ',
  int64: 'BIGINT',
  boolean: 'BOOLEAN',
};

function cell(event: ClassifiedEvent, name: string, type: ColumnType): DuckDBValue {
  const value: unknown = Reflect.get(event, name);
  if (value === null || value === undefined) return null;
  if (type === 'timestamp' && typeof value === 'bigint') return timestampTZValue(value);
  if (typeof value === 'string' || typeof value === 'bigint' || typeof value === 'boolean') return value;
  throw new Error(`fixture column ${name} has an unexpected ${typeof value}`);
}

export async function writeFixtureStore(root: string, events: readonly ClassifiedEvent[]): Promise<void> {
  await mkdir(root, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    const columns = ACTIVITY_COLUMNS.map((c) => `${c.name} ${SQL_TYPES[c.type]}`).join(', ');
    await conn.run(`CREATE TABLE events (${columns}, class VARCHAR, dt VARCHAR)`);
    // The appender: one native call per cell instead of a statement per row.
    const appender = await conn.createAppender('events');
    for (const event of events) {
      for (const c of ACTIVITY_COLUMNS) appender.appendValue(cell(event, c.name, c.type));
      appender.appendVarchar(event.class);
      appender.appendVarchar(dtOf(event.event_time));
      appender.endRow();
    }
    appender.closeSync();
    const target = path.join(root, 'activity').replaceAll("'", "''");
    await conn.run(
      `COPY (SELECT * FROM events ORDER BY event_time, event_id) TO '${target}' (FORMAT parquet, PARTITION_BY (class, dt), OVERWRITE_OR_IGNORE)`,
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
