import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException, CommonErrorCode, type ErrorBody } from './app.exception';

/** Optional hook: lets the host app answer unknown browser routes with the SPA instead of JSON. */
export type NotFoundFallback = (req: FastifyRequest, reply: FastifyReply) => boolean;

const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: CommonErrorCode.PAYLOAD_TOO_LARGE,
    message: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
    message: 'Send the request body as application/json.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: CommonErrorCode.INVALID_JSON,
    message: 'The request body is empty but its content type says JSON.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: CommonErrorCode.INVALID_JSON,
    message: 'The request body is not valid JSON.',
  },
};

const FASTIFY_ERROR = (m: { status: number; code: string; message: string }): ErrorBody => ({
  statusCode: m.status,
  code: m.code,
  message: m.message,
});

/**
 * One filter for the whole API: every error leaves as `{statusCode, code, message, details?}`.
 * Unexpected errors are logged with their stack and answered with a generic 500 that leaks nothing.
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly notFoundFallback?: NotFoundFallback) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    const body = this.toBody(exception, req);
    if (body.code === CommonErrorCode.ROUTE_NOT_FOUND && this.notFoundFallback?.(req, reply)) return;
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, url: req.url, method: req.method }, 'Unhandled error');
    }
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, req: FastifyRequest): ErrorBody {
    if (exception instanceof AppException) {
      return {
        statusCode: exception.status,
        code: exception.code,
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    const fastifyCode = (exception as { code?: string })?.code;
    if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
      return FASTIFY_ERROR(FASTIFY_CODES[fastifyCode]);
    }
    // Fastify's body parser fails before any handler runs; Nest passes it on as an HttpException.
    if (exception instanceof HttpException && exception.getStatus() === 400 && /not valid JSON/i.test(exception.message)) {
      return FASTIFY_ERROR(FASTIFY_CODES.FST_ERR_CTP_INVALID_JSON_BODY);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === HttpStatus.NOT_FOUND) {
        return {
          statusCode: 404,
          code: CommonErrorCode.ROUTE_NOT_FOUND,
          message: `No endpoint answers ${req.method} ${req.url.split('?')[0]}.`,
        };
      }
      const response = exception.getResponse();
      const message =
        typeof response === 'object' && response && 'message' in response
          ? String((response as { message: unknown }).message)
          : exception.message;
      return { statusCode: status, code: statusCode(status), message };
    }
    const status = (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, code: statusCode(status), message: (exception as Error).message };
    }
    return {
      statusCode: 500,
      code: CommonErrorCode.INTERNAL_ERROR,
      message: 'Something went wrong on our side. It has been logged; please try again.',
    };
  }
}

function statusCode(status: number): string {
  switch (status) {
    case 400:
      return CommonErrorCode.VALIDATION_FAILED;
    case 401:
      return CommonErrorCode.UNAUTHENTICATED;
    case 413:
      return CommonErrorCode.PAYLOAD_TOO_LARGE;
    case 415:
      return CommonErrorCode.UNSUPPORTED_MEDIA_TYPE;
    case 429:
      return CommonErrorCode.TOO_MANY_REQUESTS;
    default:
      return `HTTP_${status}`;
  }
}
