import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { AppException } from '@ledgerport/server/errors';
import { streamOf } from '../test/sample-files';
import { LocalDiskStorage } from './local-disk.storage';
import { StorageErrorCode } from './storage.errors';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as AppException).code ?? (error as Error).message;
  }
  return 'resolved';
}

describe('LocalDiskStorage', () => {
  let workdir: string;
  let root: string;
  let storage: LocalDiskStorage;

  beforeEach(() => {
    workdir = mkdtempSync(join(tmpdir(), 'lp-storage-'));
    root = join(workdir, 'files');
    storage = new LocalDiskStorage({ directory: root });
  });
  afterEach(() => rmSync(workdir, { recursive: true, force: true }));

  it('creates its directory, readable by the server user only', () => {
    expect(statSync(root).isDirectory()).toBe(true);
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'tmp')).isDirectory()).toBe(true);
  });

  it('stores and returns the same bytes, with their size, SHA-256 and content type', async () => {
    const bytes = randomBytes(300 * 1024 + 7);
    const result = await storage.put('attachments/round-trip', streamOf(bytes), { contentType: 'image/png' });
    expect(result).toEqual({ key: 'attachments/round-trip', size: bytes.length, sha256: sha256(bytes) });

    const file = await storage.get('attachments/round-trip');
    expect(file.size).toBe(bytes.length);
    expect(file.contentType).toBe('image/png');
    expect((await buffer(file.body)).equals(bytes)).toBe(true);
    expect(await storage.exists('attachments/round-trip')).toBe(true);
    expect(statSync(join(root, 'objects', 'attachments', 'round-trip')).mode & 0o777).toBe(0o600);
    expect(filesUnder(join(root, 'tmp'))).toEqual([]);
  });

  it('deletes, and deleting again or a key never used is fine', async () => {
    await storage.put('attachments/gone', streamOf(Buffer.from('x')), { contentType: 'application/pdf' });
    await storage.delete('attachments/gone');
    expect(await storage.exists('attachments/gone')).toBe(false);
    expect(await codeOf(storage.get('attachments/gone'))).toBe(StorageErrorCode.STORED_FILE_NOT_FOUND);
    await expect(storage.delete('attachments/gone')).resolves.toBeUndefined();
    await expect(storage.delete('never/was')).resolves.toBeUndefined();
    expect(filesUnder(root)).toEqual([]);
  });

  it('answers STORED_FILE_NOT_FOUND (404) for a key that holds nothing', async () => {
    const error = await storage.get('attachments/missing').catch((e: AppException) => e);
    expect(error).toBeInstanceOf(AppException);
    expect(error).toMatchObject({ status: 404, code: StorageErrorCode.STORED_FILE_NOT_FOUND });
  });

  it('replaces what a key held', async () => {
    await storage.put('a/b', streamOf(Buffer.from('first')), { contentType: 'image/gif' });
    await storage.put('a/b', streamOf(Buffer.from('second')), { contentType: 'image/webp' });
    const file = await storage.get('a/b');
    expect((await buffer(file.body)).toString()).toBe('second');
    expect(file.contentType).toBe('image/webp');
  });

  it('leaves nothing behind when the source fails half-way', async () => {
    let sent = 0;
    const failing = new Readable({
      read() {
        sent += 1;
        if (sent > 5) this.destroy(new Error('client went away'));
        else this.push(randomBytes(64 * 1024));
      },
    });
    await expect(storage.put('attachments/broken', failing, { contentType: 'image/jpeg' })).rejects.toThrow(
      'client went away',
    );
    expect(await storage.exists('attachments/broken')).toBe(false);
    expect(filesUnder(root)).toEqual([]);
  });

  it('refuses a body of another length than announced, and keeps nothing', async () => {
    const more = await storage
      .put('a/more', streamOf(randomBytes(20)), { contentType: 'image/png', size: 10 })
      .catch((e) => e);
    expect(more).toMatchObject({ status: 400, code: StorageErrorCode.FILE_SIZE_MISMATCH });
    const fewer = await storage
      .put('a/fewer', streamOf(randomBytes(5)), { contentType: 'image/png', size: 10 })
      .catch((e) => e);
    expect(fewer).toMatchObject({ code: StorageErrorCode.FILE_SIZE_MISMATCH });
    expect(fewer.message).toMatch(/announced as 10 bytes but only 5 arrived/);
    expect(filesUnder(root)).toEqual([]);
    await expect(
      storage.put('a/exact', streamOf(randomBytes(10)), { contentType: 'image/png', size: 10 }),
    ).resolves.toMatchObject({ size: 10 });
  });

  describe('keys', () => {
    const hostile = [
      '../outside',
      'attachments/../../outside',
      '/etc/passwd',
      'attachments\\..\\..\\outside',
      '..',
      '.',
      'a/./b',
      '.hidden',
      'attachments/.env',
      'a//b',
      'a/',
      '',
      'C:\\windows\\win.ini',
      'a\u0000b',
      'attachments/%2e%2e/outside',
      'attachments/ space',
      `a/${'x'.repeat(600)}`,
    ];

    it.each(hostile.map((key) => [JSON.stringify(key).slice(0, 40), key]))(
      'refuses %s for every operation',
      async (_label, key) => {
        expect(await codeOf(storage.put(key, streamOf(Buffer.from('x')), { contentType: 'image/png' }))).toBe(
          StorageErrorCode.STORAGE_KEY_INVALID,
        );
        expect(await codeOf(storage.get(key))).toBe(StorageErrorCode.STORAGE_KEY_INVALID);
        expect(await codeOf(storage.exists(key))).toBe(StorageErrorCode.STORAGE_KEY_INVALID);
        expect(await codeOf(storage.delete(key))).toBe(StorageErrorCode.STORAGE_KEY_INVALID);
      },
    );

    it('never touches a file outside its directory', async () => {
      writeFileSync(join(workdir, 'outside'), 'precious');
      for (const key of hostile) {
        await storage
          .put(key, streamOf(Buffer.from('overwritten')), { contentType: 'image/png' })
          .catch(() => undefined);
        await storage.delete(key).catch(() => undefined);
      }
      expect(readFileSync(join(workdir, 'outside'), 'utf8')).toBe('precious');
      expect(filesUnder(root)).toEqual([]);
    });

    it('accepts keys of letters, digits, dots, dashes and underscores in segments', async () => {
      for (const key of ['attachments/0b0f6f5e-2c1d-4e8a-9d3c-5f1f1a2b3c4d', 'firm_1/q.2/file-A.png', 'x']) {
        await expect(
          storage.put(key, streamOf(Buffer.from('ok')), { contentType: 'image/png' }),
        ).resolves.toMatchObject({ key });
      }
    });
  });

  it('does not follow a symlink planted under its directory', async () => {
    mkdirSync(join(root, 'objects', 'attachments'), { recursive: true });
    writeFileSync(join(workdir, 'secret.txt'), 'not for download');
    symlinkSync(join(workdir, 'secret.txt'), join(root, 'objects', 'attachments', 'link'));
    await expect(storage.get('attachments/link')).rejects.toThrow(/ELOOP|symbolic link/);
  });

  it('refuses a content type that could smuggle a header', async () => {
    await expect(
      storage.put('a/b', streamOf(Buffer.from('x')), { contentType: 'image/png\r\nSet-Cookie: a=b' }),
    ).rejects.toThrow(/media type/);
    expect(filesUnder(root)).toEqual([]);
  });

  it('serves a file whose metadata is missing as bytes of unknown type', async () => {
    await storage.put('a/b', streamOf(Buffer.from('x')), { contentType: 'image/png' });
    rmSync(join(root, 'meta', 'a', 'b.json'));
    expect((await storage.get('a/b')).contentType).toBe('application/octet-stream');
  });

  it('removes temp files a crash left behind more than a day ago, and keeps fresh ones', () => {
    const stale = join(root, 'tmp', 'stale');
    const fresh = join(root, 'tmp', 'fresh');
    writeFileSync(stale, 'half');
    writeFileSync(fresh, 'in progress');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(stale, twoDaysAgo, twoDaysAgo);
    new LocalDiskStorage({ directory: root });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});
