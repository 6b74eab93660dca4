import { HttpStatus } from '@nestjs/common';

/** Codes shared by every module. Feature modules add their own codes next to their code. */
export const CommonErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  INVALID_JSON: 'INVALID_JSON',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  CSRF_TOKEN_INVALID: 'CSRF_TOKEN_INVALID',
  ADMIN_ONLY: 'ADMIN_ONLY',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

export interface ErrorDetail {
  field?: string;
  message: string;
}

/**
 * The only exception feature code throws for an expected failure: a stable machine-readable
 * `code`, a sentence for a person, and the HTTP status it maps to.
 */
export class AppException extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[] | Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppException';
  }

  static notFound(code: string, message: string): AppException {
    return new AppException(HttpStatus.NOT_FOUND, code, message);
  }
  static conflict(code: string, message: string, details?: Record<string, unknown>): AppException {
    return new AppException(HttpStatus.CONFLICT, code, message, details);
  }
  static badRequest(code: string, message: string, details?: ErrorDetail[]): AppException {
    return new AppException(HttpStatus.BAD_REQUEST, code, message, details);
  }
}

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}
