import 'reflect-metadata';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Fastify from 'fastify';
import { ConfigModule } from '@ledgerport/server/config';
import * as sample from '../test/sample-files';
import { sendStoredFile } from './download';
import { S3Storage } from './s3.storage';
import { StorageErrorCode } from './storage.errors';
import { FilesService, StorageModule } from './storage.module';
import { acceptUpload } from './upload';

// A real S3-compatible server: s3rver (an npm devDependency) speaks the S3 REST API over HTTP,
// including multipart uploads, and checks access key ids (not the V4 signature itself). The test starts it as a child process on a
// free loopback port and stops it at the end; nothing else is needed on the machine.
const BUCKET = 'attachments-test';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }; // s3rver's built-in account
const MB = 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function startS3rver(directory: string): Promise<{ endpoint: string; process: ChildProcess }> {
  const bin = require.resolve('s3rver/bin/s3rver.js');
  const child = spawn(
    process.execPath,
    [
      bin,
      '--directory',
      directory,
      '--address',
      '127.0.0.1',
      '--port',
      '0',
      '--silent',
      '--no-vhost-buckets',
      '--configure-bucket',
      BUCKET,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on ([\d.]+):(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(`http://${match[1]}:${match[2]}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code}:\n${output}`));
    });
  });
  return { endpoint, process: child };
}

describe('S3Storage against an S3-compatible server (s3rver)', () => {
  let dataDir: string;
  let server: ChildProcess;
  let endpoint: string;
  let storage: S3Storage;
  let inspector: S3Client;

  /** Every key in the test bucket: what a failed upload must not add to. */
  async function keysInBucket(): Promise<string[]> {
    const listed = await inspector.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    return (listed.Contents ?? []).map((o) => o.Key as string).sort();
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lp-s3rver-'));
    ({ endpoint, process: server } = await startS3rver(dataDir));
    storage = new S3Storage({
      bucket: BUCKET,
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: CREDENTIALS,
    });
    inspector = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: CREDENTIALS,
    });
  }, 30_000);

  afterAll(async () => {
    storage?.destroy();
    inspector?.destroy();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('round-trips a 12 MB file of unknown length (multipart upload) with its size, SHA-256 and type', async () => {
    const bytes = randomBytes(12 * MB + 123);
    const result = await storage.put('attachments/big', sample.streamOf(bytes, 256 * 1024), {
      contentType: 'application/pdf',
    });
    expect(result).toEqual({ key: 'attachments/big', size: bytes.length, sha256: sha256(bytes) });
    const file = await storage.get('attachments/big');
    expect(file.size).toBe(bytes.length);
    expect(file.contentType).toBe('application/pdf');
    const back = await buffer(file.body);
    expect(sha256(back)).toBe(sha256(bytes));
  });

  it('round-trips a small file, and a file of announced length in one streamed PUT', async () => {
    const small = sample.png();
    expect(
      await storage.put('attachments/small', sample.streamOf(small), { contentType: 'image/png' }),
    ).toMatchObject({ sha256: sha256(small) });
    expect((await buffer((await storage.get('attachments/small')).body)).equals(small)).toBe(true);

    const known = randomBytes(700 * 1024);
    await storage.put('attachments/known', sample.streamOf(known), {
      contentType: 'image/jpeg',
      size: known.length,
    });
    const file = await storage.get('attachments/known');
    expect(file.contentType).toBe('image/jpeg');
    expect((await buffer(file.body)).equals(known)).toBe(true);
  });

  it('stores nothing when fewer bytes arrive than announced', async () => {
    const error = await storage
      .put('attachments/short', sample.streamOf(randomBytes(1000)), { contentType: 'image/png', size: 5000 })
      .catch((e) => e);
    expect(error).toMatchObject({ code: StorageErrorCode.FILE_SIZE_MISMATCH });
    expect(await storage.exists('attachments/short')).toBe(false);
  });

  it('answers exists, deletes, and reports a missing file as STORED_FILE_NOT_FOUND', async () => {
    await storage.put('attachments/to-delete', sample.streamOf(sample.gif()), { contentType: 'image/gif' });
    expect(await storage.exists('attachments/to-delete')).toBe(true);
    await storage.delete('attachments/to-delete');
    expect(await storage.exists('attachments/to-delete')).toBe(false);
    await expect(storage.get('attachments/to-delete')).rejects.toMatchObject({
      status: 404,
      code: StorageErrorCode.STORED_FILE_NOT_FOUND,
    });
    await expect(storage.delete('attachments/to-delete')).resolves.toBeUndefined();
  });

  it('refuses traversal keys before sending anything', async () => {
    for (const key of ['../other-bucket/x', 'attachments/../../x', '/abs', 'a//b', '.env']) {
      await expect(
        storage.put(key, sample.streamOf(sample.png()), { contentType: 'image/png' }),
      ).rejects.toMatchObject({
        code: StorageErrorCode.STORAGE_KEY_INVALID,
      });
      await expect(storage.get(key)).rejects.toMatchObject({ code: StorageErrorCode.STORAGE_KEY_INVALID });
    }
  });

  describe('checked uploads', () => {
    it('stores a PNG named receipt.pdf as image/png', async () => {
      const png = sample.png();
      const result = await acceptUpload(
        storage,
        { file: sample.streamOf(png), filename: 'receipt.pdf', mimetype: 'application/pdf' },
        { maxBytes: MB },
      );
      expect(result).toMatchObject({
        contentType: 'image/png',
        filename: 'receipt.png',
        size: png.length,
        sha256: sha256(png),
      });
      expect((await storage.get(result.key)).contentType).toBe('image/png');
    });

    it('refuses a text file named receipt.jpg and an empty file, storing nothing', async () => {
      const before = await keysInBucket();
      await expect(
        acceptUpload(
          storage,
          { file: sample.streamOf(sample.text()), filename: 'receipt.jpg' },
          { maxBytes: MB },
        ),
      ).rejects.toMatchObject({
        code: StorageErrorCode.FILE_TYPE_NOT_ALLOWED,
      });
      await expect(
        acceptUpload(
          storage,
          { file: sample.streamOf(Buffer.alloc(0)), filename: 'empty.pdf' },
          { maxBytes: MB },
        ),
      ).rejects.toMatchObject({
        code: StorageErrorCode.FILE_EMPTY,
      });
      expect(await keysInBucket()).toEqual(before);
    });

    it('stops an oversized upload after its first part has gone out, and aborts it: nothing stored', async () => {
      const before = await keysInBucket();
      const big = sample.generatedUpload(30 * MB);
      const error = await acceptUpload(
        storage,
        { file: big.stream, filename: 'huge.png' },
        { maxBytes: 6 * MB },
      ).catch((e) => e);
      const pulled = big.pulled();
      big.stream.destroy();
      expect(error).toMatchObject({ status: 413, code: StorageErrorCode.FILE_TOO_LARGE });
      expect(pulled).toBeLessThan(7 * MB);
      expect(await keysInBucket()).toEqual(before);
    });
  });

  it('streams a stored object as a download', async () => {
    const pdf = sample.pdf();
    const stored = await acceptUpload(
      storage,
      { file: sample.streamOf(pdf), filename: 'Rechnung März.pdf' },
      { maxBytes: MB },
    );
    const app = Fastify();
    app.get('/download', (_req, reply) =>
      sendStoredFile(reply, storage, stored.key, { filename: stored.filename }),
    );
    const res = await app.inject({ method: 'GET', url: '/download' });
    await app.close();
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(pdf)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('is refused by the server with an unknown access key', async () => {
    // s3rver checks the access key id but not the Signature V4 itself; a wrong secret is caught by real S3.
    const intruder = new S3Storage({
      bucket: BUCKET,
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'INTRUDER', secretAccessKey: 'x' },
    });
    try {
      await expect(
        intruder.put('attachments/intruder', sample.streamOf(sample.png()), { contentType: 'image/png' }),
      ).rejects.toMatchObject({
        name: 'InvalidAccessKeyId',
      });
      await expect(intruder.get('attachments/small')).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    } finally {
      intruder.destroy();
    }
    expect(await storage.exists('attachments/intruder')).toBe(false);
  });

  it('reports a missing bucket as an error, not as a missing file', async () => {
    const lost = new S3Storage({
      bucket: 'no-such-bucket',
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: CREDENTIALS,
    });
    try {
      await expect(lost.get('attachments/x')).rejects.toMatchObject({ name: 'NoSuchBucket' });
    } finally {
      lost.destroy();
    }
  });

  it('is what StorageModule builds from STORAGE_DRIVER=s3 and the S3_* variables', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      STORAGE_DRIVER: 's3',
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    });
    @Module({ imports: [ConfigModule, StorageModule] })
    class AppUnderTest {}
    const app = await NestFactory.createApplicationContext(AppUnderTest, { logger: false });
    try {
      const files = app.get(FilesService);
      expect(files.storage).toBeInstanceOf(S3Storage);
      const stored = await files.accept({ file: sample.streamOf(sample.heic()), filename: 'IMG_0001.HEIC' });
      expect(stored.contentType).toBe('image/heic');
      expect(await keysInBucket()).toContain(stored.key);
    } finally {
      await app.close();
      process.env = saved;
    }
  });
});
