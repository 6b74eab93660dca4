import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';

/**
 * Xero's gateway errors (401, 403, 404, 429, 500) are RFC 7807-style "problem" objects with
 * PascalCase members: {"Type":null,"Title":"Unauthorized","Status":401,"Detail":"TokenExpired: …",
 * "Instance":"<uuid>","Extensions":{}}.
 */
export interface XeroProblem {
  Type: string | null;
  Title: string;
  Status: number;
  Detail: string;
  Instance: string;
  Extensions: Record<string, unknown>;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'An error occurred',
  503: 'Service Unavailable',
};

export function problem(status: number, detail: string): XeroProblem {
  return {
    Type: null,
    Title: TITLES[status] ?? 'Error',
    Status: status,
    Detail: detail,
    Instance: randomUUID(),
    Extensions: {},
  };
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  detail: string,
  headers: Record<string, string> = {},
): FastifyReply {
  return reply
    .code(status)
    .headers(headers)
    .type('application/json; charset=utf-8')
    .send(problem(status, detail));
}

/** The US-style timestamp Xero prints in TokenExpired messages: 11/23/2026 15:41:02. */
export function xeroTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
