import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { athenaDdl, athenaTableDefinition } from './athena-ddl';
import { ACTIVITY_CLASSES, ACTIVITY_COLUMNS } from './schema';

const BASE = { database: 'dasboard', table: 'activity', location: 's3://audit-bucket/das/prod' };

describe('athenaDdl', () => {
  it('declares the Parquet table over <root>/activity/ partitioned by class and dt', () => {
    // Act
    const lines = athenaDdl(BASE).split('\n');
    // Assess
    expect(lines[0]).toBe('CREATE EXTERNAL TABLE IF NOT EXISTS `dasboard`.`activity` (');
    expect(lines).toContain(
      "  `event_time` timestamp COMMENT 'Statement start if known, else logTime (UTC, µs)',",
    );
    expect(lines).toContain("  `command` string COMMENT 'The engine\\'s own command value',");
    expect(lines).toContain("  `row_count` bigint COMMENT 'Rows returned or affected',");
    expect(lines).toContain("  `failed` boolean COMMENT 'The statement or log-in failed',");
    expect(lines.join('\n')).toContain(
      "PARTITIONED BY (\n  `class` string COMMENT 'Activity class',\n  `dt` string COMMENT",
    );
    expect(lines).toContain("ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'");
    expect(lines).toContain(
      "STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'",
    );
    expect(lines).toContain("OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'");
    expect(lines).toContain("LOCATION 's3://audit-bucket/das/prod/activity/'");
    expect(lines.at(-1)).toBe(')');
  });

  it('configures partition projection for every class and every day since the start date', () => {
    // Act
    const ddl = athenaDdl({ ...BASE, location: `${BASE.location}/`, projectionStartDate: '2025-03-01' });
    // Assess
    expect(ddl).toContain("  'projection.enabled' = 'true',");
    expect(ddl).toContain("  'projection.class.type' = 'enum',");
    expect(ddl).toContain(`  'projection.class.values' = '${ACTIVITY_CLASSES.join(',')}',`);
    expect(ddl).toContain("  'projection.dt.type' = 'date',");
    expect(ddl).toContain("  'projection.dt.format' = 'yyyy-MM-dd',");
    expect(ddl).toContain("  'projection.dt.range' = '2025-03-01,NOW',");
    expect(ddl).toContain("  'projection.dt.interval' = '1',");
    expect(ddl).toContain("  'projection.dt.interval.unit' = 'DAYS',");
    expect(ddl).toContain(
      `  'storage.location.template' = 's3://audit-bucket/das/prod/activity/class=\${class}/dt=\${dt}/'\n)`,
    );
    expect(ddl).toContain("  'parquet.compression' = 'SNAPPY',");
    expect(ddl).not.toContain("'EXTERNAL'");
  });

  it('refuses names and locations that would break out of the DDL text', () => {
    // Act / Assess
    expect(() => athenaDdl({ ...BASE, table: 'activity`; DROP TABLE x; --' })).toThrow();
    expect(() => athenaDdl({ ...BASE, database: 'Prod DB' })).toThrow();
    expect(() => athenaDdl({ ...BASE, location: "s3://bucket/x' LOCATION 's3://evil/" })).toThrow();
    expect(() => athenaDdl({ ...BASE, location: '/local/folder' })).toThrow();
    expect(() => athenaDdl({ ...BASE, projectionStartDate: '2025-13-01' })).toThrow();
  });
});

describe('athenaTableDefinition', () => {
  it('lists every storage column in file order with its Hive type', () => {
    // Act
    const def = athenaTableDefinition({ location: 's3://audit-bucket' });
    // Assess
    expect(def.columns.map((c) => c.name)).toEqual(ACTIVITY_COLUMNS.map((c) => c.name));
    expect(new Set(def.columns.map((c) => c.type))).toEqual(
      new Set(['string', 'timestamp', 'bigint', 'boolean']),
    );
    expect(def.partitionKeys).toEqual([
      { name: 'class', type: 'string', comment: 'Activity class' },
      { name: 'dt', type: 'string', comment: 'UTC day of event_time (YYYY-MM-DD)' },
    ]);
    expect(def.location).toBe('s3://audit-bucket/activity/');
    expect(def.tableType).toBe('EXTERNAL_TABLE');
    expect(def.parameters).toMatchObject({
      EXTERNAL: 'TRUE',
      classification: 'parquet',
      'projection.enabled': 'true',
    });
    expect(def.parameters['projection.dt.range']).toBe('2024-01-01,NOW');
  });

  it('uses column types DuckDB accepts for the same names', async () => {
    // Prepare: the DDL's column lines, with Hive backticks turned into standard quotes.
    const columnLines = athenaDdl(BASE)
      .split('\n')
      .filter((line) => line.startsWith('  `'))
      .map((line) => line.replace(/ COMMENT '(?:[^'\\]|\\.)*'/, '').replace(/`/g, '"'));
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    // Act
    await connection.run(`CREATE TABLE t (\n${columnLines.join('\n').replace(/,?\n/g, ',\n')})`);
    const described = (await connection.runAndReadAll('DESCRIBE t')).getRowObjectsJson();
    connection.closeSync();
    // Assess
    const expected = { string: 'VARCHAR', timestamp: 'TIMESTAMP', int64: 'BIGINT', boolean: 'BOOLEAN' };
    expect(described.map((r) => [r.column_name, r.column_type])).toEqual([
      ...ACTIVITY_COLUMNS.map((c) => [c.name, expected[c.type]]),
      ['class', 'VARCHAR'],
      ['dt', 'VARCHAR'],
    ]);
  });
});
