import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { fileSizeMismatch, storageKeyInvalid } from './storage.errors';

/** Nest injection token of the configured {@link FileStorage} (see StorageModule). */
export const FILE_STORAGE = Symbol('FILE_STORAGE');

export interface PutOptions {
  /** Stored with the bytes and given back by `get`; for uploads, the type sniffed from the content. */
  contentType: string;
  /** The exact length when known in advance; a different length fails the put with FILE_SIZE_MISMATCH. */
  size?: number;
}

export interface PutResult {
  key: string;
  /** Bytes stored, counted while streaming. */
  size: number;
  /** Hex SHA-256 of the bytes stored, computed while streaming. */
  sha256: string;
}

export interface StoredFile {
  body: Readable;
  size: number;
  contentType: string;
}

/**
 * Where attachments live. Every driver streams (never holds a whole file in memory), leaves nothing
 * behind when a put fails, and accepts only keys that pass {@link assertValidKey}, so a key is
 * portable between drivers and can never name a path outside the store.
 */
export interface FileStorage {
  /** Stores `body` under `key`, replacing what was there. Resolves once every byte is stored (flushed to disk, or the object complete). */
  put(key: string, body: Readable, options: PutOptions): Promise<PutResult>;
  /** Opens a stored file; throws STORED_FILE_NOT_FOUND when nothing is stored under the key. */
  get(key: string): Promise<StoredFile>;
  /** Removes the file; removing a key that holds nothing is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

/** One key segment: starts with a letter or digit (so never "." or ".." or a hidden file), then [A-Za-z0-9._-]. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** S3 allows 1,024 bytes; staying well under leaves room for a bucket prefix and keeps paths short on disk. */
export const MAX_KEY_LENGTH = 512;

/** True when `key` follows the key rules: `segment(/segment)*`, at most {@link MAX_KEY_LENGTH} characters. */
export function isValidKey(key: unknown): key is string {
  return (
    typeof key === 'string' &&
    key.length > 0 &&
    key.length <= MAX_KEY_LENGTH &&
    key.split('/').every((segment) => SEGMENT.test(segment))
  );
}

/** Throws STORAGE_KEY_INVALID unless `key` follows the key rules; returns its segments. */
export function assertValidKey(key: unknown): string[] {
  if (!isValidKey(key)) throw storageKeyInvalid();
  return key.split('/');
}

/** A media type without parameters (it is sent back as a Content-Type header, so no room for header injection). */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

export function assertValidContentType(contentType: string): void {
  if (!MEDIA_TYPE.test(contentType)) {
    throw new TypeError(
      `The content type must be a media type such as image/png, without parameters (got ${JSON.stringify(contentType)}).`,
    );
  }
}

/**
 * Passes bytes through unchanged while counting them and hashing them with SHA-256, so a driver
 * learns size and digest in the same single pass that stores the file. With an expected size it
 * fails as soon as more arrive, and at the end if fewer did.
 */
export class MeasuringStream extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private digest?: string;

  constructor(private readonly expectedSize?: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.expectedSize !== undefined && this.bytes > this.expectedSize) {
      callback(fileSizeMismatch(this.expectedSize, this.bytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.expectedSize !== undefined && this.bytes !== this.expectedSize) {
      callback(fileSizeMismatch(this.expectedSize, this.bytes));
      return;
    }
    this.digest = this.hash.digest('hex');
    callback();
  }

  /** Hex SHA-256 of everything that passed; only once the stream has ended. */
  get sha256(): string {
    if (this.digest === undefined)
      throw new Error('MeasuringStream: the digest is known only once the stream has ended.');
    return this.digest;
  }
}
