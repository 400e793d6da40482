import { describe, expect, it } from 'vitest';
import { createQueryEngine } from './index';

describe('createQueryEngine', () => {
  it('builds DuckDB over a local store and Athena over S3, each with its own dialect', async () => {
    const duck = createQueryEngine({ engine: 'duckdb', store: { kind: 'local', path: '/tmp/none' } });
    const athena = createQueryEngine({
      engine: 'athena',
      store: { kind: 's3', bucket: 'audit-bucket', prefix: '' },
      athena: { database: 'dasboard', table: 'activity', workgroup: 'primary' },
    });
    expect([duck.name, duck.dialect.name]).toEqual(['duckdb', 'duckdb']);
    expect([athena.name, athena.dialect.name]).toEqual(['athena', 'athena']);
    expect(athena.dialect.activitySource().text).toBe('"dasboard"."activity"');
    await duck.close();
    await athena.close();
  });

  it('refuses DuckDB over S3 and Athena without settings', () => {
    expect(() =>
      createQueryEngine({ engine: 'duckdb', store: { kind: 's3', bucket: 'b-b-b', prefix: '' } }),
    ).toThrow(/local store/);
    expect(() =>
      createQueryEngine({ engine: 'athena', store: { kind: 's3', bucket: 'b-b-b', prefix: '' } }),
    ).toThrow(/athena settings/);
  });
});
