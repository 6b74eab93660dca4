import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';

/** A control API refusal: answered as `{error, message}` with this status. */
export class ControlError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ControlError(400, 'bad_request', message);
export const notFound = (message: string) => new ControlError(404, 'not_found', message);

/** Validates input with a zod schema; a failure is a 400 naming each problem. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  throw badRequest(r.error.issues.map((i) => `${[what, ...i.path].join('.')}: ${i.message}`).join('; '));
}

/**
 * Answers every error of the control API (and of its 404s) as `{error, message}`: ControlErrors
 * with their status, Fastify's own 4xx (bad JSON, wrong content type) as they are, anything else 500.
 */
export function controlErrors(scope: FastifyInstance, opts: { notFound?: boolean } = {}): void {
  scope.setErrorHandler((err: FastifyError | ControlError, req, reply: FastifyReply) => {
    if (err instanceof ControlError)
      return reply.code(err.statusCode).send({ error: err.error, message: err.message });
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500)
      return reply
        .code(status)
        .send({ error: status === 400 ? 'bad_request' : (err.code ?? 'client_error'), message: err.message });
    req.log.error({ err }, 'control API error');
    return reply.code(500).send({ error: 'internal', message: err.message });
  });
  if (opts.notFound) {
    scope.setNotFoundHandler((req, reply) =>
      reply.code(404).send({ error: 'not_found', message: `No control route ${req.method} ${req.url}.` }),
    );
  }
}
