import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import {
  assertValidContentType,
  assertValidKey,
  MeasuringStream,
  type FileStorage,
  type PutOptions,
  type PutResult,
  type StoredFile,
} from './file-storage';
import { storedFileNotFound } from './storage.errors';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** An S3-compatible service (MinIO, Ceph RGW, R2, …); unset for Amazon S3 itself. */
  endpoint?: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key`; most self-hosted stores need it. */
  forcePathStyle?: boolean;
  /** Unset: the AWS SDK's default chain (AWS_* environment variables, shared config files, instance or task role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The smallest part S3 accepts in a multipart upload. Uploads of unknown length are sent in parts of
 * this size, one at a time, so one upload holds at most one part (5 MB) in memory.
 */
const PART_SIZE = 5 * 1024 * 1024;

/**
 * Files in an S3 bucket, through the AWS SDK v3, on Amazon S3 or any S3-compatible service.
 * S3 makes an object visible only once its upload completes, and a failed multipart upload is
 * aborted, so a failed put leaves nothing under its key.
 */
export class S3Storage implements FileStorage {
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    const config: S3ClientConfig = {
      region: options.region,
      forcePathStyle: options.forcePathStyle ?? false,
      maxAttempts: 3,
    };
    if (options.endpoint) {
      config.endpoint = options.endpoint;
      // Since SDK 3.729 every upload carries a CRC32 checksum header (and streamed ones aws-chunked
      // trailers), which several S3-compatible services refuse (R2, B2, older Ceph and MinIO).
      // Checksums only where the API requires them; our own SHA-256 still covers every byte.
      config.requestChecksumCalculation = 'WHEN_REQUIRED';
      config.responseChecksumValidation = 'WHEN_REQUIRED';
    }
    // The secret goes to the SDK and nowhere else: this class keeps no copy of it.
    if (options.credentials) config.credentials = { ...options.credentials };
    this.client = new S3Client(config);
  }

  async put(key: string, body: Readable, options: PutOptions): Promise<PutResult> {
    assertValidKey(key);
    assertValidContentType(options.contentType);
    const meter = new MeasuringStream(options.size);
    // pipe() does not forward errors: a failing source must fail the upload, not stall it.
    body.once('error', (error) => meter.destroy(error));
    // A streamed PUT whose body fails does not end by itself (the server waits for the announced
    // length): abort the request as soon as the body fails.
    const abort = new AbortController();
    meter.once('error', () => abort.abort());
    body.pipe(meter);
    try {
      if (options.size !== undefined) {
        // Known length: one streamed PUT, nothing buffered.
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: meter,
            ContentLength: options.size,
            ContentType: options.contentType,
          }),
          { abortSignal: abort.signal },
        );
      } else {
        // Unknown length (an upload as it arrives): S3 needs each request's length, so parts of 5 MB.
        await new Upload({
          client: this.client,
          params: { Bucket: this.bucket, Key: key, Body: meter, ContentType: options.contentType },
          partSize: PART_SIZE,
          queueSize: 1,
          leavePartsOnError: false,
        }).done();
      }
    } catch (error) {
      body.unpipe(meter);
      meter.destroy();
      const bodyFailure = meter.errored;
      if (bodyFailure && options.size !== undefined) {
        // Amazon S3 refuses a PUT cut off before its announced length, but some S3-compatible servers
        // keep what arrived. Remove it, so a failed put never leaves a partial object behind.
        await this.client
          .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }))
          .catch(() => undefined);
      }
      // The stream's own failure (too large, size mismatch, a dropped client) explains more than the SDK's wrapper of it.
      throw bodyFailure ?? error;
    }
    return { key, size: meter.bytes, sha256: meter.sha256 };
  }

  async get(key: string): Promise<StoredFile> {
    assertValidKey(key);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = object.Body;
      if (!(body instanceof Readable))
        throw new Error('S3Storage: the SDK returned a body that is not a Node stream.');
      return {
        body,
        size: object.ContentLength ?? 0,
        contentType: object.ContentType ?? 'application/octet-stream',
      };
    } catch (error) {
      if (isNotFound(error)) throw storedFileNotFound();
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async exists(key: string): Promise<boolean> {
    assertValidKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** Closes the SDK's keep-alive connections (on application shutdown). */
  destroy(): void {
    this.client.destroy();
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  // A missing bucket is a configuration error, not a missing file.
  if (e?.name === 'NoSuchBucket') return false;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}
