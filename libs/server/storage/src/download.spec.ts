import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'content-disposition';
import Fastify, { type FastifyInstance } from 'fastify';
import { AppException } from '@ledgerport/server/errors';
import * as sample from '../test/sample-files';
import { attachmentDisposition, sendStoredFile } from './download';
import { LocalDiskStorage } from './local-disk.storage';
import { StorageErrorCode } from './storage.errors';
import { acceptUpload } from './upload';

describe('attachmentDisposition', () => {
  it('always gives an RFC 5987 filename* and an ASCII fallback', () => {
    expect(attachmentDisposition('receipt.pdf')).toBe(
      `attachment; filename=receipt.pdf; filename*=UTF-8''receipt.pdf`,
    );
    expect(attachmentDisposition('Квитанция №5.pdf')).toBe(
      `attachment; filename="_________ _5.pdf"; filename*=UTF-8''%D0%9A%D0%B2%D0%B8%D1%82%D0%B0%D0%BD%D1%86%D0%B8%D1%8F%20%E2%84%965.pdf`,
    );
  });

  it('round-trips awkward names through a standard parser', () => {
    for (const name of ['50% off; final (2).pdf', "it's here.png", 'Ünïcødé 領収書.heic', 'a,b=c.jpg']) {
      expect(parse(attachmentDisposition(name)).parameters.filename).toBe(name);
    }
  });

  it('cannot be used to inject a header', () => {
    const value = attachmentDisposition('x.png\r\nSet-Cookie: session=stolen');
    expect(value).not.toMatch(/[\r\n]/);
  });
});

describe('sendStoredFile', () => {
  let root: string;
  let storage: LocalDiskStorage;
  let app: FastifyInstance;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'lp-download-'));
    storage = new LocalDiskStorage({ directory: root });
    app = Fastify();
    app.setErrorHandler((error, _req, reply) => {
      if (error instanceof AppException)
        return reply.status(error.status).send({ code: error.code, message: error.message });
      return reply.status(500).send({ message: String(error) });
    });
    app.get<{ Querystring: { key: string; name: string } }>('/download', (req, reply) =>
      sendStoredFile(reply, storage, req.query.key, { filename: req.query.name }),
    );
  });
  afterEach(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('streams the bytes as a download with the sniffed type and protective headers', async () => {
    const png = sample.png();
    const stored = await acceptUpload(
      storage,
      { file: sample.streamOf(png), filename: 'receipt.pdf', mimetype: 'application/pdf' },
      { maxBytes: 1024 },
    );
    const res = await app.inject({
      method: 'GET',
      url: '/download',
      query: { key: stored.key, name: stored.filename },
    });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(png)).toBe(true);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-length']).toBe(String(png.length));
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename=receipt.png; filename*=UTF-8''receipt.png`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
  });

  it('offers a non-ASCII name that browsers decode back', async () => {
    const stored = await acceptUpload(
      storage,
      { file: sample.streamOf(sample.pdf()), filename: 'Счёт-фактура №12.pdf' },
      { maxBytes: 1024 },
    );
    const res = await app.inject({
      method: 'GET',
      url: '/download',
      query: { key: stored.key, name: stored.filename },
    });
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''`);
    expect(parse(String(res.headers['content-disposition'])).parameters.filename).toBe(
      'Счёт-фактура №12.pdf',
    );
  });

  it('uses the content type the caller recorded when given', async () => {
    const stored = await storage.put('attachments/raw', sample.streamOf(sample.heic()), {
      contentType: 'application/octet-stream',
    });
    const reply = await app.inject({
      method: 'GET',
      url: '/download',
      query: { key: stored.key, name: 'x.heic' },
    });
    expect(reply.headers['content-type']).toBe('application/octet-stream');
    const typed = Fastify();
    typed.get('/typed', (_req, r) =>
      sendStoredFile(r, storage, stored.key, { filename: 'x.heic', contentType: 'image/heic' }),
    );
    expect((await typed.inject({ method: 'GET', url: '/typed' })).headers['content-type']).toBe('image/heic');
    await typed.close();
  });

  it('answers 404 STORED_FILE_NOT_FOUND, with no download headers, when nothing is stored', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/download',
      query: { key: 'attachments/missing', name: 'x.pdf' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: StorageErrorCode.STORED_FILE_NOT_FOUND });
    expect(res.headers['content-disposition']).toBeUndefined();
  });

  it('refuses a traversal key without touching the disk', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/download',
      query: { key: '../../etc/passwd', name: 'passwd' },
    });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: StorageErrorCode.STORAGE_KEY_INVALID });
    expect(res.body).not.toContain('root:');
  });
});
