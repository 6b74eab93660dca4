import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { sendStoredFile, type SendStoredFileOptions } from './download';
import { FILE_STORAGE, type FileStorage } from './file-storage';
import { S3Storage } from './s3.storage';
import {
  createFileStorage,
  describeStorage,
  resolveStorageSettings,
  type StorageSettings,
} from './storage.settings';
import { acceptUpload, type IncomingUpload, type StoredUpload } from './upload';

/** Nest injection token of the resolved {@link StorageSettings}. */
export const STORAGE_SETTINGS = Symbol('STORAGE_SETTINGS');

/** What feature modules use: checked uploads in, downloads out, with the configured storage and limit. */
@Injectable()
export class FilesService {
  constructor(
    @Inject(FILE_STORAGE) readonly storage: FileStorage,
    @Inject(STORAGE_SETTINGS) private readonly settings: StorageSettings,
  ) {}

  /** Stores an upload if it passes the size and type checks (see acceptUpload); keys go under `attachments/`. */
  accept(upload: IncomingUpload): Promise<StoredUpload> {
    return acceptUpload(this.storage, upload, { maxBytes: this.settings.maxUploadBytes });
  }

  /** Streams a stored file as a download. The caller has already checked that the viewer may see it. */
  send(reply: FastifyReply, key: string, options: SendStoredFileOptions): Promise<FastifyReply> {
    return sendStoredFile(reply, this.storage, key, options);
  }

  remove(key: string): Promise<void> {
    return this.storage.delete(key);
  }
}

/**
 * File storage for attachments (F2). Provides FILE_STORAGE (the driver chosen by STORAGE_DRIVER),
 * STORAGE_SETTINGS and FilesService. Needs ConfigModule (global). A misconfiguration fails the boot
 * of any app importing this module, with a sentence saying what to set.
 */
@Module({
  providers: [
    {
      provide: STORAGE_SETTINGS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): StorageSettings => resolveStorageSettings(config),
    },
    {
      provide: FILE_STORAGE,
      inject: [STORAGE_SETTINGS],
      useFactory: (settings: StorageSettings): FileStorage => {
        const storage = createFileStorage(settings);
        new Logger('Storage').log(describeStorage(settings));
        return storage;
      },
    },
    FilesService,
  ],
  exports: [FILE_STORAGE, STORAGE_SETTINGS, FilesService],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(@Inject(FILE_STORAGE) private readonly storage: FileStorage) {}

  onApplicationShutdown(): void {
    if (this.storage instanceof S3Storage) this.storage.destroy();
  }
}
