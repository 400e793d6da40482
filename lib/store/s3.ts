import { GetObjectCommand, paginateListObjectsV2, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { toStoreError } from './s3-errors';
import type { ObjectStore, StoredObject } from './types';

/** Bodies up to one part (S3's 5 MiB minimum) go out as a single PUT; larger ones as a multipart upload. */
export const S3_PART_SIZE = 5 * 1024 * 1024;

/**
 * Standard SDK configuration (region, credentials and AWS_ENDPOINT_URL_S3 as the SDK resolves them).
 * Path-style addressing only when an endpoint override is configured: local S3-compatible servers
 * need it, while real S3 wants virtual-hosted style.
 */
export function s3ClientConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): S3ClientConfig {
  const ignored = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true';
  const overridden = Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
  return overridden && !ignored ? { forcePathStyle: true } : {};
}

export interface S3StoreOptions {
  /** MaxKeys per ListObjectsV2 page (S3 caps it at 1000). */
  readonly listPageSize?: number;
}

const encoder = new TextEncoder();

/** A bucket prefix in S3, laid out exactly like the local folder store. */
export class S3Store implements ObjectStore {
  readonly root: string;
  private readonly client: S3Client;
  private readonly keyPrefix: string;
  private readonly listPageSize: number;

  constructor(
    private readonly bucket: string,
    prefix: string,
    client?: S3Client,
    options: S3StoreOptions = {},
  ) {
    const normalised = prefix.split('/').filter(Boolean).join('/');
    this.keyPrefix = normalised ? `${normalised}/` : '';
    this.root = `s3://${bucket}${normalised ? `/${normalised}` : ''}`;
    this.client = client ?? new S3Client(s3ClientConfig());
    this.listPageSize = options.listPageSize ?? 1000;
  }

  private uri(key: string): string {
    return `s3://${this.bucket}/${this.keyPrefix}${key}`;
  }

  async put(key: string, body: Uint8Array | string, contentType = 'application/octet-stream'): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: `${this.keyPrefix}${key}`,
        Body: typeof body === 'string' ? encoder.encode(body) : body,
        ContentType: contentType,
      },
      partSize: S3_PART_SIZE,
      queueSize: 4,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (err) {
      throw toStoreError(err, 'put', this.uri(key));
    }
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: `${this.keyPrefix}${key}` }),
      );
      return response.Body ? await response.Body.transformToByteArray() : new Uint8Array(0);
    } catch (err) {
      if (err instanceof Error && err.name === 'NoSuchKey') return null;
      throw toStoreError(err, 'get', this.uri(key));
    }
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    const pages = paginateListObjectsV2(
      { client: this.client, pageSize: this.listPageSize },
      { Bucket: this.bucket, Prefix: `${this.keyPrefix}${prefix}` },
    );
    try {
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (object.Key?.startsWith(this.keyPrefix)) {
            yield { key: object.Key.slice(this.keyPrefix.length), size: object.Size ?? 0 };
          }
        }
      }
    } catch (err) {
      throw toStoreError(err, 'list', this.uri(prefix));
    }
  }
}
