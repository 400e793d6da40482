import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';
import { parseStoreLocation } from './env-schema';

describe('parseEnv', () => {
  it('defaults to the embedded mode: ./data, DuckDB, port 3000', () => {
    // Act
    const env = parseEnv({});

    // Assess
    expect(env.store).toEqual({ kind: 'local', path: path.resolve('./data') });
    expect(env.DASBOARD_ENGINE).toBe('duckdb');
    expect(env.PORT).toBe(3000);
    expect(env.DASBOARD_CONFIG).toBeUndefined();
  });

  it('picks Athena for an s3:// store, which needs a shared session secret', () => {
    // Act
    const env = parseEnv({
      DASBOARD_STORE: 's3://audit-bucket/das',
      DASBOARD_SESSION_SECRET: 's'.repeat(32),
    });

    // Assess
    expect(env.store).toEqual({ kind: 's3', bucket: 'audit-bucket', prefix: 'das' });
    expect(env.DASBOARD_ENGINE).toBe('athena');
    expect(() => parseEnv({ DASBOARD_STORE: 's3://audit-bucket/das' })).toThrow(
      'invalid environment:\n  DASBOARD_SESSION_SECRET: DASBOARD_SESSION_SECRET is required with an s3:// store (every instance must share it)',
    );
  });

  it('names every bad variable in one error', () => {
    // Act
    let message = '';
    try {
      parseEnv({
        DASBOARD_ENGINE: 'sqlite',
        DASBOARD_SESSION_SECRET: 'short',
        DASBOARD_PUBLIC_URL: 'ftp://x',
        PORT: '99999',
      });
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      message = err instanceof Error ? err.message : '';
    }

    // Assess
    expect(message.split('\n').map((l) => l.split(':')[0]?.trim())).toEqual([
      'invalid environment',
      'DASBOARD_ENGINE',
      'DASBOARD_SESSION_SECRET',
      'DASBOARD_PUBLIC_URL',
      'PORT',
    ]);
    expect(message).not.toContain('short');
  });

  it('refuses DuckDB over S3 and treats empty strings as unset', () => {
    expect(() =>
      parseEnv({
        DASBOARD_STORE: 's3://bucket-1',
        DASBOARD_ENGINE: 'duckdb',
        DASBOARD_SESSION_SECRET: 'x'.repeat(40),
      }),
    ).toThrow(/DASBOARD_ENGINE: duckdb reads a local folder only/);
    expect(parseEnv({ DASBOARD_CONFIG: '', DASBOARD_ENGINE: '' }).DASBOARD_CONFIG).toBeUndefined();
    expect(() => parseEnv({ DASBOARD_STORE: 's3://Bad_Bucket' })).toThrow(EnvError);
  });
});

describe('parseStoreLocation', () => {
  it('reads folders, file:// URLs and s3:// URLs', () => {
    expect(parseStoreLocation('file:///var/lib/dasboard')).toEqual({
      kind: 'local',
      path: '/var/lib/dasboard',
    });
    expect(parseStoreLocation('s3://bucket-1')).toEqual({ kind: 's3', bucket: 'bucket-1', prefix: '' });
    expect(() => parseStoreLocation('s3://Bad_Bucket/x')).toThrow(/not a valid S3 bucket name/);
  });
});
