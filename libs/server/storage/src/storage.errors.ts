import { HttpStatus } from '@nestjs/common';
import { AppException } from '@ledgerport/server/errors';

/** Machine-readable codes of the storage library; the global filter turns them into `{ statusCode, code, message }`. */
export const StorageErrorCode = {
  /** 413: the upload passed UPLOAD_MAX_BYTES; it was cut off there and nothing was kept. */
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  /** 415: the content (magic bytes) is not one of the allowed types, whatever its name or declared type. */
  FILE_TYPE_NOT_ALLOWED: 'FILE_TYPE_NOT_ALLOWED',
  /** 400: the upload had no bytes. */
  FILE_EMPTY: 'FILE_EMPTY',
  /** 400: fewer or more bytes arrived than the caller announced (a cut-off upload). */
  FILE_SIZE_MISMATCH: 'FILE_SIZE_MISMATCH',
  /** 404: nothing is stored under the key. */
  STORED_FILE_NOT_FOUND: 'STORED_FILE_NOT_FOUND',
  /** 500: a caller passed a key outside the key rules (a bug, or an attempt at path traversal). */
  STORAGE_KEY_INVALID: 'STORAGE_KEY_INVALID',
} as const;
export type StorageErrorCode = (typeof StorageErrorCode)[keyof typeof StorageErrorCode];

/** "10 MB", "512 KB", "900 bytes": limits as people read them (binary units, as the limit is set in bytes). */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1024 * 1024 * 1024, 'GB'],
    [1024 * 1024, 'MB'],
    [1024, 'KB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} bytes`;
}

export function fileTooLarge(maxBytes: number): AppException {
  return new AppException(
    HttpStatus.PAYLOAD_TOO_LARGE,
    StorageErrorCode.FILE_TOO_LARGE,
    `The file is larger than the ${formatBytes(maxBytes)} allowed; nothing was stored.`,
    { maxBytes },
  );
}

export function fileTypeNotAllowed(
  filename: string,
  allowed: readonly string[],
  declaredType?: string,
): AppException {
  return new AppException(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    StorageErrorCode.FILE_TYPE_NOT_ALLOWED,
    `"${filename}" is not a JPEG, PNG, HEIC/HEIF, WebP, GIF or PDF file (judged by its content, not its name); nothing was stored.`,
    { allowed: [...allowed], ...(declaredType ? { declaredType } : {}) },
  );
}

export function fileEmpty(): AppException {
  return new AppException(
    HttpStatus.BAD_REQUEST,
    StorageErrorCode.FILE_EMPTY,
    'The file is empty; nothing was stored.',
  );
}

export function fileSizeMismatch(expected: number, received: number): AppException {
  return new AppException(
    HttpStatus.BAD_REQUEST,
    StorageErrorCode.FILE_SIZE_MISMATCH,
    `The file was announced as ${expected} bytes but ${received > expected ? 'more' : `only ${received}`} arrived; nothing was stored.`,
    { expected, received },
  );
}

export function storedFileNotFound(): AppException {
  return AppException.notFound(StorageErrorCode.STORED_FILE_NOT_FOUND, 'The file is no longer in storage.');
}

export function storageKeyInvalid(): AppException {
  // The key is left out of the message on purpose: it answers a request, and the key is internal.
  return new AppException(
    HttpStatus.INTERNAL_SERVER_ERROR,
    StorageErrorCode.STORAGE_KEY_INVALID,
    'A storage key was refused: keys are segments of letters, digits, ".", "_" and "-" joined by "/".',
  );
}
