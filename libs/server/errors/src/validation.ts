import { HttpStatus, ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppException, CommonErrorCode, type ErrorDetail } from './app.exception';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Global validation: whitelist, refuse unknown fields, transform to DTO classes, one error shape. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const first = details[0]?.message ?? 'The request is invalid.';
      return new AppException(
        HttpStatus.BAD_REQUEST,
        CommonErrorCode.VALIDATION_FAILED,
        details.length > 1 ? `${first} (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''}).` : `${first}.`,
        details,
      );
    },
  });
}
