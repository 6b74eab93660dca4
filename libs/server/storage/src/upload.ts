import { randomUUID } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { assertValidKey, type FileStorage, type PutResult } from './file-storage';
import {
  ALLOWED_MEDIA_TYPES,
  SNIFF_BYTES,
  sniffFileType,
  type AllowedMediaType,
  type SniffedType,
} from './file-sniffing';
import { downloadFilename, sanitizeFilename } from './filename';
import { fileEmpty, fileTooLarge, fileTypeNotAllowed } from './storage.errors';

/**
 * A file as it arrives. The shape of @fastify/multipart's `MultipartFile` (`await req.file()`),
 * so a part can be passed as it is; any Readable with a name works too.
 */
export interface IncomingUpload {
  /** The bytes as they arrive. */
  file: Readable;
  /** The name the client gave. Only ever used, sanitised, as the name offered on download. */
  filename?: string;
  /** The type the client declared. Never trusted: the content decides. */
  mimetype?: string;
}

export interface AcceptUploadOptions {
  /** Largest upload accepted, in bytes (UPLOAD_MAX_BYTES). */
  maxBytes: number;
  /** First segment(s) of the generated key (default "attachments"); must follow the key rules. */
  keyPrefix?: string;
}

export interface StoredUpload {
  /** `<keyPrefix>/<random uuid v4>`: unguessable, and unrelated to the file's name. */
  key: string;
  size: number;
  sha256: string;
  /** The type sniffed from the content, not the declared one. */
  contentType: AllowedMediaType;
  /** The client's name, sanitised, with an extension that matches `contentType`. */
  filename: string;
}

/**
 * Checks an upload while it streams into storage, and keeps it only if it passes:
 * - size: bytes are counted as they pass; the first chunk beyond `maxBytes` fails the upload at once
 *   (413 FILE_TOO_LARGE), so at most `maxBytes` reach storage and the file is never held in memory;
 * - type: the first bytes must be a JPEG, PNG, HEIC/HEIF, WebP, GIF or PDF signature
 *   (415 FILE_TYPE_NOT_ALLOWED), whatever the name or declared type say;
 * - not empty (400 FILE_EMPTY).
 * A refused upload leaves nothing in storage. Its remaining bytes are then read and discarded
 * (a multipart parser only finishes the request once the file stream is consumed); a caller that
 * would rather cut the connection can destroy `upload.file` after the rejection.
 */
export async function acceptUpload(
  storage: FileStorage,
  upload: IncomingUpload,
  options: AcceptUploadOptions,
): Promise<StoredUpload> {
  const { maxBytes, keyPrefix = 'attachments' } = options;
  assertValidKey(keyPrefix);
  // `await req.file()` gives undefined when the form carried no file: that is an empty upload too.
  if (!upload?.file) throw fileEmpty();
  const key = `${keyPrefix}/${randomUUID()}`;
  const source = upload.file;
  const guard = new UploadGuard(maxBytes, sanitizeFilename(upload.filename), upload.mimetype);
  const onSourceError = (error: Error) => guard.destroy(fromSourceError(error, maxBytes));
  // @fastify/multipart (busboy) stops a file at its own `limits.fileSize`, emits 'limit' and marks it truncated.
  const onLimit = () => guard.destroy(fileTooLarge(maxBytes));
  source.on('error', onSourceError);
  source.once('limit', onLimit);
  // Failures reach the caller through `guard.detected` or `storage.put`; this listener only keeps
  // an 'error' event with no other listener yet from crashing the process.
  guard.on('error', () => undefined);
  source.pipe(guard);

  let stored: PutResult | undefined;
  try {
    const type = await guard.detected;
    stored = await storage.put(key, guard, { contentType: type.mime });
    if ((source as { truncated?: boolean }).truncated === true) throw fileTooLarge(maxBytes);
    return {
      key,
      size: stored.size,
      sha256: stored.sha256,
      contentType: type.mime,
      filename: downloadFilename(upload.filename, type),
    };
  } catch (error) {
    if (stored) await storage.delete(key).catch(() => undefined);
    source.unpipe(guard);
    guard.destroy();
    // Drain what is left, ignoring its errors (the client may well hang up once it sees the answer).
    source.on('error', () => undefined);
    source.resume();
    throw guard.failure ?? error;
  } finally {
    source.off('error', onSourceError);
    source.off('limit', onLimit);
  }
}

/** Maps a failing source to our errors: @fastify/multipart reports its own size limit as FST_REQ_FILE_TOO_LARGE. */
function fromSourceError(error: Error, maxBytes: number): Error {
  const e = error as { code?: string; statusCode?: number };
  if (e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413) return fileTooLarge(maxBytes);
  return error;
}

/**
 * Passes an upload through while enforcing the size limit, and holds back the first
 * {@link SNIFF_BYTES} bytes until their type is known: `detected` resolves with the type (and the
 * bytes flow on), or rejects with the reason the upload is refused (and the stream fails with it).
 */
class UploadGuard extends Transform {
  readonly detected: Promise<SniffedType>;
  /** The first reason this upload was refused. */
  failure?: Error;
  private bytes = 0;
  private head: Buffer[] = [];
  private headBytes = 0;
  private type?: SniffedType;
  private settle!: { resolve: (type: SniffedType) => void; reject: (error: Error) => void };

  constructor(
    private readonly maxBytes: number,
    private readonly filename: string,
    private readonly declaredType?: string,
  ) {
    super();
    this.detected = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    // Awaited by acceptUpload; this keeps a refusal that comes before the await from being reported as unhandled.
    this.detected.catch(() => undefined);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(this.fail(fileTooLarge(this.maxBytes)));
      return;
    }
    if (this.type) {
      callback(null, chunk);
      return;
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    callback(this.headBytes >= SNIFF_BYTES ? this.decide() : null);
  }

  override _flush(callback: TransformCallback): void {
    if (this.bytes === 0) {
      callback(this.fail(fileEmpty()));
      return;
    }
    callback(this.type ? null : this.decide());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (error) this.fail(error);
    // Destroyed without a reason before the type was known (the caller gave up): nobody waits any more.
    else if (!this.type) this.settle.reject(new Error('The upload was abandoned before its type was known.'));
    callback(error);
  }

  private decide(): Error | null {
    const head = Buffer.concat(this.head);
    this.head = [];
    const type = sniffFileType(head);
    if (!type) return this.fail(fileTypeNotAllowed(this.filename, ALLOWED_MEDIA_TYPES, this.declaredType));
    this.type = type;
    this.settle.resolve(type);
    this.push(head);
    return null;
  }

  private fail(error: Error): Error {
    this.failure ??= error;
    this.settle.reject(error);
    return error;
  }
}
