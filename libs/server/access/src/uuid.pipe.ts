import { HttpStatus, ParseUUIDPipe } from '@nestjs/common';
import { AppException } from '@ledgerport/server/errors';

/** A malformed id in a path is simply a resource that does not exist: 404, like another firm's id. */
export const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => new AppException(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'We could not find that.'),
});
