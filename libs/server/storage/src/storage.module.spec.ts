import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '@ledgerport/server/config';
import * as sample from '../test/sample-files';
import { FILE_STORAGE, type FileStorage } from './file-storage';
import { LocalDiskStorage } from './local-disk.storage';
import { FilesService, StorageModule } from './storage.module';

@Module({ imports: [ConfigModule, StorageModule] })
class AppUnderTest {}

describe('StorageModule', () => {
  const saved = { ...process.env };
  let workdir: string;

  beforeEach(() => (workdir = mkdtempSync(join(tmpdir(), 'lp-module-'))));
  afterEach(() => {
    process.env = { ...saved };
    rmSync(workdir, { recursive: true, force: true });
  });

  it('provides the configured driver and a FilesService that applies UPLOAD_MAX_BYTES', async () => {
    process.env.STORAGE_DIR = join(workdir, 'files');
    process.env.UPLOAD_MAX_BYTES = '4096';
    const app = await NestFactory.createApplicationContext(AppUnderTest, { logger: false });
    try {
      expect(app.get<FileStorage>(FILE_STORAGE)).toBeInstanceOf(LocalDiskStorage);
      const files = app.get(FilesService);
      const stored = await files.accept({ file: sample.streamOf(sample.pdf()), filename: 'invoice.pdf' });
      expect(stored.contentType).toBe('application/pdf');
      expect((await buffer((await files.storage.get(stored.key)).body)).equals(sample.pdf())).toBe(true);
      await expect(
        files.accept({ file: sample.streamOf(sample.jpeg(8192)), filename: 'big.jpg' }),
      ).rejects.toMatchObject({
        code: 'FILE_TOO_LARGE',
      });
      await files.remove(stored.key);
      expect(await files.storage.exists(stored.key)).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('fails the boot with a sentence when the storage is misconfigured', async () => {
    process.env.STORAGE_DRIVER = 's3';
    process.env.S3_REGION = 'eu-west-1';
    await expect(
      NestFactory.createApplicationContext(AppUnderTest, { logger: false, abortOnError: false }),
    ).rejects.toThrow(
      'Ledgerport cannot start: STORAGE_DRIVER=s3 needs S3_BUCKET: set it to the bucket that holds attachments.',
    );
  });
});
