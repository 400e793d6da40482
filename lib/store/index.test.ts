import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { InvalidStoreUrlError, LocalStore, openStore, parseStoreUrl, S3Store } from './index';

describe('parseStoreUrl', () => {
  it('defaults to ./data resolved against the working directory when unset or blank', () => {
    expect(parseStoreUrl(undefined)).toEqual({ kind: 'local', dir: resolve('data') });
    expect(parseStoreUrl('  ')).toEqual({ kind: 'local', dir: resolve('data') });
  });

  it('reads plain paths and file:// URLs as local folders', () => {
    expect(parseStoreUrl('/var/lib/dasboard')).toEqual({ kind: 'local', dir: '/var/lib/dasboard' });
    expect(parseStoreUrl('some/dir/')).toEqual({ kind: 'local', dir: resolve('some/dir') });
    expect(parseStoreUrl('./x:y')).toEqual({ kind: 'local', dir: resolve('x:y') });
    expect(parseStoreUrl('file:///tmp/my%20store')).toEqual({ kind: 'local', dir: '/tmp/my store' });
    expect(parseStoreUrl('file://localhost/tmp/a')).toEqual({ kind: 'local', dir: '/tmp/a' });
  });

  it('reads s3://bucket/prefix with the prefix normalised', () => {
    expect(parseStoreUrl('s3://audit-bucket')).toEqual({ kind: 's3', bucket: 'audit-bucket', prefix: '' });
    expect(parseStoreUrl('s3://audit-bucket/')).toEqual({ kind: 's3', bucket: 'audit-bucket', prefix: '' });
    expect(parseStoreUrl('s3://audit.bucket/das/prod/')).toEqual({
      kind: 's3',
      bucket: 'audit.bucket',
      prefix: 'das/prod',
    });
    expect(parseStoreUrl('S3://b-1//das//prod//')).toEqual({ kind: 's3', bucket: 'b-1', prefix: 'das/prod' });
  });

  it.each([
    ['s3://', /missing bucket/],
    ['s3:///prefix', /missing bucket/],
    ['s3:bucket/prefix', /expected s3:\/\/bucket\/prefix/],
    ['s3://Bad_Bucket/x', /not a valid S3 bucket name/],
    ['s3://ab', /not a valid S3 bucket name/],
    ['s3://bucket/x?versionId=1', /query strings/],
    ['s3://bucket/a/../b', /"\." and "\.\."/],
    ['file://relative/dir', /not an absolute file URL/],
    ['file:./data', /expected file:\/\/\//],
    ['gs://bucket/x', /unsupported scheme "gs"/],
    ['https://example.com/x', /unsupported scheme "https"/],
  ])('rejects %s with a clear error', (value, message) => {
    expect(() => parseStoreUrl(value)).toThrow(InvalidStoreUrlError);
    expect(() => parseStoreUrl(value)).toThrow(message);
  });
});

describe('openStore', () => {
  it('opens a LocalStore for a folder and an S3Store for a bucket prefix', () => {
    const local = openStore({ kind: 'local', dir: '/tmp/dasboard-store' });
    const s3 = openStore({ kind: 's3', bucket: 'audit', prefix: 'das/prod' }, { s3Client: new S3Client({}) });
    expect(local).toBeInstanceOf(LocalStore);
    expect(local.root).toBe('/tmp/dasboard-store');
    expect(s3).toBeInstanceOf(S3Store);
    expect(s3.root).toBe('s3://audit/das/prod');
  });
});
