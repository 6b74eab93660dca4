import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '@ledgerport/server/config';
import { LocalDiskStorage } from './local-disk.storage';
import { S3Storage } from './s3.storage';
import { createFileStorage, describeStorage, resolveStorageSettings } from './storage.settings';

/** What a process with this environment would get at boot: loadConfig, then the storage checks. */
const settingsFor = (env: Record<string, string>, cwd = '/srv/ledgerport') =>
  resolveStorageSettings(loadConfig(env), cwd);

function bootError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('storage configuration: variables (loadConfig)', () => {
  it('defaults to local disk under var/files, 10 MB uploads, virtual-host S3 URLs', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      STORAGE_DRIVER: 'local',
      STORAGE_DIR: 'var/files',
      UPLOAD_MAX_BYTES: 10 * 1024 * 1024,
      S3_FORCE_PATH_STYLE: false,
    });
    expect(c.S3_BUCKET).toBeUndefined();
  });

  it('reads and converts the values', () => {
    expect(
      loadConfig({ STORAGE_DRIVER: 's3', S3_FORCE_PATH_STYLE: 'true', UPLOAD_MAX_BYTES: '5242880' }),
    ).toMatchObject({
      STORAGE_DRIVER: 's3',
      S3_FORCE_PATH_STYLE: true,
      UPLOAD_MAX_BYTES: 5242880,
    });
  });

  it('refuses malformed values with a sentence naming the variable', () => {
    expect(bootError(() => loadConfig({ STORAGE_DRIVER: 'gcs' }))).toContain(
      'STORAGE_DRIVER must be local or s3',
    );
    expect(bootError(() => loadConfig({ S3_FORCE_PATH_STYLE: 'yes' }))).toContain(
      'S3_FORCE_PATH_STYLE must be true or false',
    );
    expect(bootError(() => loadConfig({ S3_ENDPOINT: 'minio:9000' }))).toContain(
      'S3_ENDPOINT must be the http(s) URL of the S3-compatible service',
    );
    expect(bootError(() => loadConfig({ UPLOAD_MAX_BYTES: '10MB' }))).toContain(
      'UPLOAD_MAX_BYTES must be a number of bytes',
    );
    for (const bad of ['0', '-1', '1.5', String(2 * 1024 ** 3)]) {
      expect(bootError(() => loadConfig({ UPLOAD_MAX_BYTES: bad }))).toContain(
        'UPLOAD_MAX_BYTES must be a whole number of bytes from 1 to 1073741824',
      );
    }
  });
});

describe('storage configuration: checks across variables (resolveStorageSettings)', () => {
  it('resolves the local directory against the working directory', () => {
    expect(settingsFor({})).toEqual({
      driver: 'local',
      directory: '/srv/ledgerport/var/files',
      maxUploadBytes: 10485760,
    });
    expect(settingsFor({ STORAGE_DIR: '/data/ledgerport' })).toMatchObject({ directory: '/data/ledgerport' });
  });

  it('says what to set when the S3 bucket is missing', () => {
    expect(bootError(() => settingsFor({ STORAGE_DRIVER: 's3', S3_REGION: 'eu-west-1' }))).toBe(
      'Ledgerport cannot start: STORAGE_DRIVER=s3 needs S3_BUCKET: set it to the bucket that holds attachments.',
    );
  });

  it('needs a region for Amazon S3, and defaults it for an S3-compatible endpoint', () => {
    expect(bootError(() => settingsFor({ STORAGE_DRIVER: 's3', S3_BUCKET: 'receipts' }))).toBe(
      "Ledgerport cannot start: STORAGE_DRIVER=s3 needs S3_REGION: set it to the bucket's AWS region (e.g. eu-west-1), or set S3_ENDPOINT for an S3-compatible store.",
    );
    expect(
      settingsFor({
        STORAGE_DRIVER: 's3',
        S3_BUCKET: 'receipts',
        S3_ENDPOINT: 'http://minio:9000',
        S3_FORCE_PATH_STYLE: 'true',
      }),
    ).toEqual({
      driver: 's3',
      maxUploadBytes: 10485760,
      s3: {
        bucket: 'receipts',
        region: 'us-east-1',
        endpoint: 'http://minio:9000',
        forcePathStyle: true,
        credentials: undefined,
      },
    });
  });

  it('wants both halves of the S3 credentials or neither', () => {
    const base = { STORAGE_DRIVER: 's3', S3_BUCKET: 'receipts', S3_REGION: 'eu-west-1' };
    expect(bootError(() => settingsFor({ ...base, S3_ACCESS_KEY_ID: 'AKIAEXAMPLE' }))).toContain(
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both, or neither',
    );
    expect(
      settingsFor({ ...base, S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI' }),
    ).toMatchObject({
      s3: { credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' } },
    });
  });

  it('lists every problem at once', () => {
    const message = bootError(() => settingsFor({ STORAGE_DRIVER: 's3', S3_SECRET_ACCESS_KEY: 'x' }));
    expect(message).toMatch(/^Ledgerport cannot start: the file storage configuration is invalid\.\n- /);
    expect(message).toContain('needs S3_BUCKET');
    expect(message).toContain('needs S3_REGION');
    expect(message).toContain('go together');
  });

  it('refuses a storage directory inside the web-served directory', () => {
    expect(bootError(() => settingsFor({ STORAGE_DIR: 'dist/apps/client-portal/uploads' }))).toBe(
      'Ledgerport cannot start: STORAGE_DIR (/srv/ledgerport/dist/apps/client-portal/uploads) is inside WEB_DIST_DIR (/srv/ledgerport/dist/apps), which the API serves to anyone: set STORAGE_DIR to a directory outside it, e.g. var/files.',
    );
    expect(() => settingsFor({ STORAGE_DIR: 'dist/apps' })).toThrow(/inside WEB_DIST_DIR/);
    expect(() => settingsFor({ STORAGE_DIR: '/srv/web/files', WEB_DIST_DIR: '/srv/web' })).toThrow(
      /inside WEB_DIST_DIR/,
    );
    // A sibling that merely shares the prefix is fine.
    expect(settingsFor({ STORAGE_DIR: 'dist/apps-files' })).toMatchObject({
      directory: '/srv/ledgerport/dist/apps-files',
    });
  });

  it('does not care where the local directory would be when the driver is s3', () => {
    expect(
      settingsFor({
        STORAGE_DRIVER: 's3',
        S3_BUCKET: 'b',
        S3_REGION: 'eu-west-1',
        STORAGE_DIR: 'dist/apps/x',
      }).driver,
    ).toBe('s3');
  });
});

describe('createFileStorage', () => {
  let workdir: string;
  beforeEach(() => (workdir = mkdtempSync(join(tmpdir(), 'lp-settings-'))));
  afterEach(() => rmSync(workdir, { recursive: true, force: true }));

  it('creates the local directory at boot', () => {
    const storage = createFileStorage(settingsFor({ STORAGE_DIR: 'nested/var/files' }, workdir));
    expect(storage).toBeInstanceOf(LocalDiskStorage);
    expect((storage as LocalDiskStorage).root).toBe(resolve(workdir, 'nested/var/files'));
  });

  it('fails the boot with a sentence when the directory cannot be created', () => {
    writeFileSync(join(workdir, 'a-file'), '');
    expect(bootError(() => createFileStorage(settingsFor({ STORAGE_DIR: 'a-file/files' }, workdir)))).toMatch(
      /^Ledgerport cannot start: STORAGE_DIR \(.*a-file\/files\) cannot be created or written \(ENOTDIR\): set STORAGE_DIR to a directory the server may write to\.$/,
    );
  });

  it('builds the S3 driver for STORAGE_DRIVER=s3', () => {
    const storage = createFileStorage(
      settingsFor({ STORAGE_DRIVER: 's3', S3_BUCKET: 'receipts', S3_REGION: 'eu-west-1' }),
    );
    expect(storage).toBeInstanceOf(S3Storage);
    (storage as S3Storage).destroy();
  });
});

describe('describeStorage (the boot log line)', () => {
  it('names the driver and never the secret', () => {
    expect(describeStorage(settingsFor({}))).toBe('File storage: local disk at /srv/ledgerport/var/files');
    const line = describeStorage(
      settingsFor({
        STORAGE_DRIVER: 's3',
        S3_BUCKET: 'receipts',
        S3_ENDPOINT: 'https://user:hunter2@s3.example.com',
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        S3_SECRET_ACCESS_KEY: 'super-secret-key-0123456789',
      }),
    );
    expect(line).toBe(
      'File storage: S3 bucket receipts (region us-east-1, endpoint https://s3.example.com, path-style, static credentials)',
    );
    expect(line).not.toContain('super-secret');
    expect(line).not.toContain('hunter2');
  });
});
