import { randomUUID } from 'node:crypto';
import { constants, createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertValidContentType,
  assertValidKey,
  MeasuringStream,
  type FileStorage,
  type PutOptions,
  type PutResult,
  type StoredFile,
} from './file-storage';
import { storageKeyInvalid, storedFileNotFound } from './storage.errors';

export interface LocalDiskStorageOptions {
  /** The directory that holds everything (created if missing); relative paths are taken from the working directory. */
  directory: string;
}

/** What is kept next to each file (a JSON file under `meta/`). */
interface FileMeta {
  contentType: string;
  size: number;
  sha256: string;
}

// Receipts are private: only the server's own user may read them.
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
/** Temp files older than this are leftovers of a crash mid-write (a live upload is minutes old at most). */
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

/**
 * Files on the local disk, under one directory:
 *   objects/<key>       the bytes
 *   meta/<key>.json     content type, size and SHA-256
 *   tmp/                files being written
 * A put streams into tmp/ and renames into place only once every byte is on disk (and flushed),
 * so a failed or cut-off upload never leaves a half-written file under its key. tmp/ sits in the
 * same directory tree, so the rename stays on one file system and is atomic.
 */
export class LocalDiskStorage implements FileStorage {
  readonly root: string;
  private readonly objectsDir: string;
  private readonly metaDir: string;
  private readonly tmpDir: string;

  constructor(options: LocalDiskStorageOptions) {
    this.root = resolve(options.directory);
    this.objectsDir = join(this.root, 'objects');
    this.metaDir = join(this.root, 'meta');
    this.tmpDir = join(this.root, 'tmp');
    for (const dir of [this.root, this.objectsDir, this.metaDir, this.tmpDir])
      mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    this.removeStaleTempFiles();
  }

  async put(key: string, body: Readable, options: PutOptions): Promise<PutResult> {
    const dataPath = this.pathOf(this.objectsDir, key);
    const metaPath = this.pathOf(this.metaDir, key, '.json');
    assertValidContentType(options.contentType);
    const tmpData = join(this.tmpDir, randomUUID());
    const tmpMeta = `${tmpData}.json`;
    const meter = new MeasuringStream(options.size);
    try {
      // `flush` fsyncs before close: a crash after the rename cannot leave an empty or partial file.
      await pipeline(body, meter, createWriteStream(tmpData, { flags: 'wx', mode: FILE_MODE, flush: true }));
      const meta: FileMeta = { contentType: options.contentType, size: meter.bytes, sha256: meter.sha256 };
      await writeFile(tmpMeta, JSON.stringify(meta), { flag: 'wx', mode: FILE_MODE, flush: true });
      await mkdir(dirname(dataPath), { recursive: true, mode: DIR_MODE });
      await mkdir(dirname(metaPath), { recursive: true, mode: DIR_MODE });
      // Metadata first: whoever sees the bytes under a key also finds their content type.
      await rename(tmpMeta, metaPath);
      await rename(tmpData, dataPath);
      return { key, size: meta.size, sha256: meta.sha256 };
    } catch (error) {
      await Promise.all([rm(tmpData, { force: true }), rm(tmpMeta, { force: true })]);
      throw error;
    }
  }

  async get(key: string): Promise<StoredFile> {
    const dataPath = this.pathOf(this.objectsDir, key);
    const metaPath = this.pathOf(this.metaDir, key, '.json');
    let handle;
    try {
      // O_NOFOLLOW: a symlink planted under the store is not followed out of it.
      handle = await open(dataPath, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      if (isMissing(error)) throw storedFileNotFound();
      throw error;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw storedFileNotFound();
      const meta = await readMeta(metaPath);
      return {
        body: handle.createReadStream(),
        size: info.size,
        contentType: meta?.contentType ?? 'application/octet-stream',
      };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const dataPath = this.pathOf(this.objectsDir, key);
    const metaPath = this.pathOf(this.metaDir, key, '.json');
    await rm(dataPath, { force: true });
    await rm(metaPath, { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(this.objectsDir, key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** The path of `key` under `base`. The key rules already exclude "..", absolute paths and backslashes; the prefix check is a second wall. */
  private pathOf(base: string, key: string, suffix = ''): string {
    const path = resolve(base, ...assertValidKey(key)) + suffix;
    if (!path.startsWith(base + sep)) throw storageKeyInvalid();
    return path;
  }

  private removeStaleTempFiles(): void {
    const now = Date.now();
    for (const name of readdirSync(this.tmpDir)) {
      const path = join(this.tmpDir, name);
      try {
        if (now - statSync(path).mtimeMs > STALE_TEMP_MS) rmSync(path, { force: true });
      } catch {
        // Another process (API and worker share the directory) removed it first.
      }
    }
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function readMeta(path: string): Promise<FileMeta | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as FileMeta;
  } catch {
    // A file without metadata is still served, as bytes of unknown type.
    return undefined;
  }
}
