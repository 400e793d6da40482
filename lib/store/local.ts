import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ObjectStore, PutOptions, StoredObject } from './types';

/** Temp files live beside their target (same file system, so rename is atomic) and are never listed. */
const TEMP_SUFFIX = '.dasboard-tmp';
const isTempName = (name: string) => name.startsWith('.') && name.endsWith(TEMP_SUFFIX);

export class InvalidKeyError extends Error {
  constructor(key: string, why: string) {
    super(`invalid object key ${JSON.stringify(key)}: ${why}`);
    this.name = 'InvalidKeyError';
  }
}

// Keys become paths: refuse anything that could leave the store root or alias another key.
function keySegments(key: string): string[] {
  if (key === '') throw new InvalidKeyError(key, 'empty');
  if (key.includes('\\') || key.includes('\0')) throw new InvalidKeyError(key, 'contains \\ or NUL');
  const segments = key.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new InvalidKeyError(key, 'empty, "." or ".." path segment');
    }
    if (isTempName(segment)) throw new InvalidKeyError(key, `segment ends with reserved ${TEMP_SUFFIX}`);
  }
  return segments;
}

const hasCode = (err: unknown, ...codes: string[]) =>
  err instanceof Error && 'code' in err && codes.includes(String(err.code));

/** S3's listing order: UTF-8 byte order of the keys. */
const compareKeys = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** A folder on the local disk, laid out exactly like the S3 bucket prefix. */
export class LocalStore implements ObjectStore {
  readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  private pathOf(key: string): string {
    return join(this.root, ...keySegments(key));
  }

  /** Folders this store has made: a put into one skips mkdir (the access log writes per request). */
  private readonly folders = new Set<string>();

  /** Creates the temp file, making its folder first when it is new (or was removed meanwhile). */
  private async openTemp(dir: string, temp: string) {
    if (!this.folders.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.folders.add(dir);
    }
    try {
      return await open(temp, 'wx', 0o644);
    } catch (err) {
      if (!hasCode(err, 'ENOENT')) throw err;
      this.folders.delete(dir);
      await mkdir(dir, { recursive: true });
      this.folders.add(dir);
      return open(temp, 'wx', 0o644);
    }
  }

  /** Deferred syncs run one after another; the first failure is reported by the next put. */
  private syncs: Promise<void> = Promise.resolve();
  private syncFailure: unknown = null;

  async put(
    key: string,
    body: Uint8Array | string,
    _contentType?: string,
    options?: PutOptions,
  ): Promise<void> {
    const failure = this.syncFailure;
    if (failure !== null) {
      this.syncFailure = null;
      throw new Error(`local store: an earlier write under ${this.root} did not reach the disk`, {
        cause: failure,
      });
    }
    const deferred = options?.durability === 'deferred';
    const target = this.pathOf(key);
    const dir = dirname(target);
    const temp = join(dir, `.${basename(target)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
    try {
      const handle = await this.openTemp(dir, temp);
      try {
        await handle.writeFile(body);
        if (!deferred) await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw new Error(`local store: cannot write ${key} under ${this.root}`, { cause: err });
    }
    if (!deferred) {
      await syncDirectory(dir);
      return;
    }
    this.syncs = this.syncs.then(() =>
      syncFileAndDirectory(target, dir).catch((err: unknown) => {
        this.syncFailure ??= err;
      }),
    );
  }

  /** Settles once every deferred write so far is on disk (shutdown, tests). */
  async flush(): Promise<void> {
    await this.syncs;
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const buffer = await readFile(this.pathOf(key));
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (err) {
      if (hasCode(err, 'ENOENT', 'EISDIR', 'ENOTDIR')) return null;
      throw err;
    }
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    // Start at the deepest folder the prefix names; keys under it are filtered by the full prefix.
    const slash = prefix.lastIndexOf('/');
    const base = slash === -1 ? '' : prefix.slice(0, slash + 1);
    const baseSegments = base === '' ? [] : keySegments(base.slice(0, -1));
    for await (const entry of walk(join(this.root, ...baseSegments), base, prefix)) {
      if (entry.key.startsWith(prefix)) yield entry;
    }
  }
}

/** fsync of a file or folder by path. */
async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A deferred write's file, then its name; a file removed meanwhile has nothing left to sync. */
async function syncFileAndDirectory(file: string, dir: string): Promise<void> {
  try {
    await syncPath(file);
  } catch (err) {
    if (!hasCode(err, 'ENOENT')) throw err;
    return;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename durable; some platforms cannot open a directory for fsync, which is fine.
  await syncPath(dir).catch(() => undefined);
}

// Only descends into folders that can hold keys starting with `prefix`.
async function* walk(dir: string, keyPrefix: string, prefix: string): AsyncGenerator<StoredObject> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (hasCode(err, 'ENOENT', 'ENOTDIR')) return;
    throw err;
  }
  // A folder sorts as "name/" so that the depth-first walk yields keys in key order.
  const items = entries
    .filter((e) => (e.isFile() && !isTempName(e.name)) || e.isDirectory())
    .map((e) => ({ name: e.name, isDir: e.isDirectory(), sortKey: e.isDirectory() ? `${e.name}/` : e.name }))
    .sort((a, b) => compareKeys(a.sortKey, b.sortKey));
  for (const item of items) {
    const path = join(dir, item.name);
    const key = `${keyPrefix}${item.name}`;
    if (item.isDir) {
      const folder = `${key}/`;
      if (folder.startsWith(prefix) || prefix.startsWith(folder)) yield* walk(path, folder, prefix);
      continue;
    }
    const size = await fileSize(path);
    if (size !== null) yield { key, size };
  }
}

// A file may be replaced or removed between readdir and stat; skip it rather than fail the list.
async function fileSize(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if (hasCode(err, 'ENOENT')) return null;
    throw err;
  }
}
