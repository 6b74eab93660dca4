import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import Fastify, { type FastifyInstance } from 'fastify';
import { AppException } from '@ledgerport/server/errors';
import * as sample from '../test/sample-files';
import { LocalDiskStorage } from './local-disk.storage';
import { StorageErrorCode } from './storage.errors';
import { acceptUpload, type IncomingUpload } from './upload';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const UUID_V4 = /^attachments\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MB = 1024 * 1024;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('acceptUpload', () => {
  let root: string;
  let storage: LocalDiskStorage;
  const upload = (bytes: Buffer, filename: string, mimetype?: string): IncomingUpload => ({
    file: sample.streamOf(bytes),
    filename,
    mimetype,
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lp-upload-'));
    storage = new LocalDiskStorage({ directory: root });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const kinds: [string, () => Buffer, string, string][] = [
    ['JPEG', () => sample.jpeg(200 * 1024), 'IMG_0001.JPG', 'image/jpeg'],
    ['PNG', sample.png, 'receipt.png', 'image/png'],
    ['GIF (shorter than the sniffing window)', sample.gif, 'tiny.gif', 'image/gif'],
    ['WebP', sample.webp, 'scan.webp', 'image/webp'],
    ['HEIC', sample.heic, 'IMG_1234.HEIC', 'image/heic'],
    ['HEIF', sample.heif, 'photo.heif', 'image/heif'],
    ['PDF', sample.pdf, 'invoice.pdf', 'application/pdf'],
  ];

  it.each(kinds)(
    'stores a %s under a random key with its size and SHA-256',
    async (_kind, make, filename, type) => {
      const bytes = make();
      const result = await acceptUpload(storage, upload(bytes, filename, 'application/octet-stream'), {
        maxBytes: MB,
      });
      expect(result).toEqual({
        key: expect.stringMatching(UUID_V4),
        size: bytes.length,
        sha256: sha256(bytes),
        contentType: type,
        filename,
      });
      const stored = await storage.get(result.key);
      expect(stored.contentType).toBe(type);
      expect((await buffer(stored.body)).equals(bytes)).toBe(true);
    },
  );

  it('judges by content: a PNG named receipt.pdf and declared as a PDF is stored as image/png', async () => {
    const result = await acceptUpload(storage, upload(sample.png(), 'receipt.pdf', 'application/pdf'), {
      maxBytes: MB,
    });
    expect(result.contentType).toBe('image/png');
    expect(result.filename).toBe('receipt.png');
    expect((await storage.get(result.key)).contentType).toBe('image/png');
  });

  it('refuses a text file named receipt.jpg (415 FILE_TYPE_NOT_ALLOWED) and keeps nothing', async () => {
    const error = await acceptUpload(storage, upload(sample.text(), 'receipt.jpg', 'image/jpeg'), {
      maxBytes: MB,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(AppException);
    expect(error).toMatchObject({ status: 415, code: StorageErrorCode.FILE_TYPE_NOT_ALLOWED });
    expect(error.message).toBe(
      '"receipt.jpg" is not a JPEG, PNG, HEIC/HEIF, WebP, GIF or PDF file (judged by its content, not its name); nothing was stored.',
    );
    expect(error.details).toMatchObject({
      declaredType: 'image/jpeg',
      allowed: expect.arrayContaining(['image/png', 'application/pdf']),
    });
    expect(filesUnder(root)).toEqual([]);
  });

  it.each([
    ['an SVG named logo.png', sample.svg(), 'logo.png'],
    ['an HTML page named statement.pdf', sample.html(), 'statement.pdf'],
    ['a ZIP named scan.jpg', sample.zip(), 'scan.jpg'],
    ['an AVIF named photo.heic', sample.avif(), 'photo.heic'],
    ['a program named receipt.gif', sample.exe(), 'receipt.gif'],
  ])('refuses %s', async (_label, bytes, filename) => {
    await expect(acceptUpload(storage, upload(bytes, filename), { maxBytes: MB })).rejects.toMatchObject({
      code: StorageErrorCode.FILE_TYPE_NOT_ALLOWED,
    });
    expect(filesUnder(root)).toEqual([]);
  });

  it('refuses an empty file (400 FILE_EMPTY) and keeps nothing', async () => {
    const error = await acceptUpload(storage, upload(Buffer.alloc(0), 'empty.pdf'), { maxBytes: MB }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({
      status: 400,
      code: StorageErrorCode.FILE_EMPTY,
      message: 'The file is empty; nothing was stored.',
    });
    expect(filesUnder(root)).toEqual([]);
  });

  it('treats a form without a file as FILE_EMPTY', async () => {
    await expect(
      acceptUpload(storage, undefined as unknown as IncomingUpload, { maxBytes: MB }),
    ).rejects.toMatchObject({
      code: StorageErrorCode.FILE_EMPTY,
    });
  });

  it('stops reading an oversized upload at the limit (413 FILE_TOO_LARGE) and keeps nothing', async () => {
    const big = sample.generatedUpload(50 * MB);
    const error = await acceptUpload(
      storage,
      { file: big.stream, filename: 'huge.png' },
      { maxBytes: MB },
    ).catch((e) => e);
    const pulledAtRejection = big.pulled();
    big.stream.destroy();
    expect(error).toMatchObject({
      status: 413,
      code: StorageErrorCode.FILE_TOO_LARGE,
      details: { maxBytes: MB },
    });
    expect(error.message).toBe('The file is larger than the 1 MB allowed; nothing was stored.');
    // Refused as soon as the limit was passed: about 1 MB read of 50, plus the streams' small buffers.
    expect(pulledAtRejection).toBeLessThan(MB + 512 * 1024);
    expect(filesUnder(root)).toEqual([]);
  });

  it('accepts exactly the limit and refuses one byte more', async () => {
    const atLimit = Buffer.concat([sample.png(), randomBytes(4096 - sample.png().length)]);
    await expect(acceptUpload(storage, upload(atLimit, 'a.png'), { maxBytes: 4096 })).resolves.toMatchObject({
      size: 4096,
    });
    const overLimit = Buffer.concat([atLimit, Buffer.from([0])]);
    await expect(acceptUpload(storage, upload(overLimit, 'b.png'), { maxBytes: 4096 })).rejects.toMatchObject(
      {
        code: StorageErrorCode.FILE_TOO_LARGE,
      },
    );
  });

  it('refuses on size before type when the first chunk alone is over the limit', async () => {
    await expect(
      acceptUpload(storage, upload(sample.text(), 'notes.txt'), { maxBytes: 10 }),
    ).rejects.toMatchObject({
      code: StorageErrorCode.FILE_TOO_LARGE,
    });
  });

  it('gives every upload its own unguessable key, unrelated to the name', async () => {
    const a = await acceptUpload(storage, upload(sample.pdf(), '../../etc/passwd.pdf'), { maxBytes: MB });
    const b = await acceptUpload(storage, upload(sample.pdf(), '../../etc/passwd.pdf'), { maxBytes: MB });
    expect(a.key).not.toBe(b.key);
    expect(a.key).toMatch(UUID_V4);
    expect(a.key).not.toContain('passwd');
    expect(a.filename).toBe('passwd.pdf');
    expect(a.sha256).toBe(b.sha256);
  });

  it('puts keys under another prefix when asked, and refuses a prefix outside the key rules', async () => {
    await expect(
      acceptUpload(storage, upload(sample.pdf(), 'x.pdf'), { maxBytes: MB, keyPrefix: 'firm-1/questions' }),
    ).resolves.toMatchObject({
      key: expect.stringMatching(/^firm-1\/questions\/[0-9a-f-]{36}$/),
    });
    await expect(
      acceptUpload(storage, upload(sample.pdf(), 'x.pdf'), { maxBytes: MB, keyPrefix: '../x' }),
    ).rejects.toMatchObject({
      code: StorageErrorCode.STORAGE_KEY_INVALID,
    });
  });

  it('keeps nothing when the client drops the connection mid-upload', async () => {
    const file = new PassThrough();
    const result = acceptUpload(storage, { file, filename: 'photo.jpg' }, { maxBytes: 10 * MB });
    file.write(sample.jpeg(100 * 1024));
    await new Promise((resolve) => setImmediate(resolve));
    file.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    await expect(result).rejects.toThrow('aborted');
    expect(filesUnder(root)).toEqual([]);
  });

  describe('with @fastify/multipart file streams (busboy signals its own size limit)', () => {
    // These stand in for busboy's FileStream: a stream that stops at `limits.fileSize`, emits
    // 'limit' and is marked `truncated`. The upload must not be kept as if it were whole.
    it("treats a 'limit' event as FILE_TOO_LARGE", async () => {
      const file = Object.assign(new PassThrough(), { truncated: false });
      const result = acceptUpload(storage, { file, filename: 'big.pdf' }, { maxBytes: 10 * MB });
      file.write(sample.pdf());
      file.truncated = true;
      file.emit('limit');
      file.end();
      await expect(result).rejects.toMatchObject({ code: StorageErrorCode.FILE_TOO_LARGE });
      expect(filesUnder(root)).toEqual([]);
    });

    it('treats a stream that ends truncated as FILE_TOO_LARGE, and removes what was stored', async () => {
      const file = Object.assign(Readable.from([sample.pdf()]), { truncated: true });
      await expect(
        acceptUpload(storage, { file, filename: 'big.pdf' }, { maxBytes: 10 * MB }),
      ).rejects.toMatchObject({
        code: StorageErrorCode.FILE_TOO_LARGE,
      });
      expect(filesUnder(root)).toEqual([]);
    });

    it('maps the FST_REQ_FILE_TOO_LARGE stream error to FILE_TOO_LARGE', async () => {
      const file = new PassThrough();
      const result = acceptUpload(storage, { file, filename: 'big.png' }, { maxBytes: 10 * MB });
      file.write(sample.png());
      file.destroy(
        Object.assign(new Error('request file too large'), {
          code: 'FST_REQ_FILE_TOO_LARGE',
          statusCode: 413,
        }),
      );
      await expect(result).rejects.toMatchObject({ code: StorageErrorCode.FILE_TOO_LARGE });
    });
  });

  describe('on a real Fastify request stream', () => {
    let app: FastifyInstance;
    let port: number;

    beforeEach(async () => {
      app = Fastify();
      // Leave the body unread: the handler streams it (what @fastify/multipart does for a file part).
      app.addContentTypeParser('*', (_req, _payload, done) => done(null));
      app.setErrorHandler((error, _req, reply) => {
        if (error instanceof AppException)
          return reply.status(error.status).send({ code: error.code, message: error.message });
        return reply.status(500).send({ message: String(error) });
      });
      app.post('/upload', (req) =>
        acceptUpload(
          storage,
          {
            file: req.raw,
            filename: String(req.headers['x-filename']),
            mimetype: req.headers['content-type'],
          },
          { maxBytes: MB },
        ),
      );
      await app.listen({ host: '127.0.0.1', port: 0 });
      port = (app.server.address() as { port: number }).port;
    });
    afterEach(() => app.close());

    /** POSTs `body` chunk by chunk; resolves with the answer and how many bytes had been sent when it came. */
    function post(body: Readable, filename: string, type: string) {
      return new Promise<{ status: number; json: Record<string, unknown>; sentBeforeAnswer: number }>(
        (resolve, reject) => {
          let sent = 0;
          const req = request({
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/upload',
            headers: { 'content-type': type, 'x-filename': filename },
          });
          req.on('response', async (res) => {
            const sentBeforeAnswer = sent;
            const json = JSON.parse((await buffer(res)).toString());
            // As a browser does on an early answer: stop sending the rest.
            body.unpipe(req);
            req.destroy();
            resolve({ status: res.statusCode ?? 0, json, sentBeforeAnswer });
          });
          req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
          body.on('data', (chunk: Buffer) => (sent += chunk.length));
          body.pipe(req);
        },
      );
    }

    it('stores a PDF sent as the request body', async () => {
      const bytes = sample.pdf();
      const answer = await post(sample.streamOf(bytes), 'statement.pdf', 'application/pdf');
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({
        contentType: 'application/pdf',
        size: bytes.length,
        sha256: sha256(bytes),
        filename: 'statement.pdf',
      });
    });

    it('answers 413 while a 40 MB body is still being sent, and keeps nothing', async () => {
      const big = sample.generatedUpload(40 * MB);
      const answer = await post(big.stream, 'huge.png', 'image/png');
      expect(answer.status).toBe(413);
      expect(answer.json.code).toBe(StorageErrorCode.FILE_TOO_LARGE);
      expect(answer.sentBeforeAnswer).toBeLessThan(40 * MB);
      expect(filesUnder(root)).toEqual([]);
    });
  });
});
