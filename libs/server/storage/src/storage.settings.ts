import { accessSync, constants } from 'node:fs';
import { relative, resolve, isAbsolute } from 'node:path';
import { ConfigError, type AppConfig } from '@ledgerport/server/config';
import type { FileStorage } from './file-storage';
import { LocalDiskStorage } from './local-disk.storage';
import { S3Storage, type S3StorageOptions } from './s3.storage';

/** The configuration variables the storage library reads (see the file storage block of config.schema.ts). */
export type StorageConfig = Pick<
  AppConfig,
  | 'STORAGE_DRIVER'
  | 'STORAGE_DIR'
  | 'S3_BUCKET'
  | 'S3_REGION'
  | 'S3_ENDPOINT'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'S3_FORCE_PATH_STYLE'
  | 'UPLOAD_MAX_BYTES'
  | 'WEB_DIST_DIR'
>;

/** Storage configuration after the checks that span several variables. */
export type StorageSettings =
  | { driver: 'local'; directory: string; maxUploadBytes: number }
  | { driver: 's3'; s3: S3StorageOptions; maxUploadBytes: number };

/** Region sent to an S3-compatible endpoint when S3_REGION is unset: what MinIO and Ceph expect by default. */
const DEFAULT_COMPATIBLE_REGION = 'us-east-1';

function isInside(child: string, parent: string): boolean {
  const path = relative(parent, child);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

/**
 * Checks the storage variables together and resolves them; throws ConfigError with one sentence per
 * problem, each saying what to set. Variable by variable checks already ran in loadConfig.
 */
export function resolveStorageSettings(config: StorageConfig, cwd: string = process.cwd()): StorageSettings {
  const problems: string[] = [];
  if (!!config.S3_ACCESS_KEY_ID !== !!config.S3_SECRET_ACCESS_KEY) {
    problems.push(
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both, or neither to use the AWS default credentials (environment, shared config files, instance role).',
    );
  }
  if (config.STORAGE_DRIVER === 's3') {
    if (!config.S3_BUCKET)
      problems.push('STORAGE_DRIVER=s3 needs S3_BUCKET: set it to the bucket that holds attachments.');
    if (!config.S3_REGION && !config.S3_ENDPOINT) {
      problems.push(
        "STORAGE_DRIVER=s3 needs S3_REGION: set it to the bucket's AWS region (e.g. eu-west-1), or set S3_ENDPOINT for an S3-compatible store.",
      );
    }
  }
  const directory = resolve(cwd, config.STORAGE_DIR);
  if (config.STORAGE_DRIVER === 'local') {
    const webRoot = resolve(cwd, config.WEB_DIST_DIR);
    if (isInside(directory, webRoot)) {
      problems.push(
        `STORAGE_DIR (${directory}) is inside WEB_DIST_DIR (${webRoot}), which the API serves to anyone: set STORAGE_DIR to a directory outside it, e.g. var/files.`,
      );
    }
  }
  if (problems.length) throw configError(problems);

  const maxUploadBytes = config.UPLOAD_MAX_BYTES;
  if (config.STORAGE_DRIVER === 'local') return { driver: 'local', directory, maxUploadBytes };
  return {
    driver: 's3',
    maxUploadBytes,
    s3: {
      bucket: config.S3_BUCKET as string,
      region: config.S3_REGION ?? DEFAULT_COMPATIBLE_REGION,
      endpoint: config.S3_ENDPOINT,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      credentials:
        config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
          : undefined,
    },
  };
}

function configError(problems: string[]): ConfigError {
  return new ConfigError(
    problems.length === 1
      ? `Ledgerport cannot start: ${problems[0]}`
      : `Ledgerport cannot start: the file storage configuration is invalid.\n${problems.map((p) => `- ${p}`).join('\n')}`,
  );
}

/** Builds the configured driver. A local directory that cannot be created or written fails here, at boot. */
export function createFileStorage(settings: StorageSettings): FileStorage {
  if (settings.driver === 's3') return new S3Storage(settings.s3);
  try {
    const storage = new LocalDiskStorage({ directory: settings.directory });
    accessSync(storage.root, constants.R_OK | constants.W_OK);
    return storage;
  } catch (error) {
    throw configError([
      `STORAGE_DIR (${settings.directory}) cannot be created or written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): set STORAGE_DIR to a directory the server may write to.`,
    ]);
  }
}

/** One line for the boot log; never includes credentials. */
export function describeStorage(settings: StorageSettings): string {
  if (settings.driver === 'local') return `File storage: local disk at ${settings.directory}`;
  const { bucket, region, endpoint, forcePathStyle, credentials } = settings.s3;
  return (
    `File storage: S3 bucket ${bucket} (region ${region}${endpoint ? `, endpoint ${withoutUserInfo(endpoint)}` : ''}` +
    `${forcePathStyle ? ', path-style' : ''}, ${credentials ? 'static credentials' : 'AWS default credentials'})`
  );
}

function withoutUserInfo(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.origin + (parsed.pathname === '/' ? '' : parsed.pathname);
  } catch {
    return '(an endpoint that is not a URL)';
  }
}
