import type { FastifyReply } from 'fastify';

/** QuickBooks' fault types (Fault@type) as the v3 API sends them. */
export type FaultType =
  'ValidationFault' | 'AuthenticationFault' | 'AuthorizationFault' | 'SERVICE' | 'SystemFault';

/** An error the v3 API answers in QuickBooks' `Fault` shape. */
export class QboFault extends Error {
  constructor(
    readonly status: number,
    readonly type: FaultType,
    readonly code: string,
    message: string,
    readonly detail: string,
    /** Fault.Error[0].element: the field at fault, when there is one. */
    readonly element?: string,
  ) {
    super(message);
  }

  body(time: string): {
    Fault: { Error: { Message: string; Detail: string; code: string; element?: string }[]; type: FaultType };
    time: string;
  } {
    return {
      Fault: {
        Error: [
          {
            Message: this.message,
            Detail: this.detail,
            code: this.code,
            ...(this.element ? { element: this.element } : {}),
          },
        ],
        type: this.type,
      },
      time,
    };
  }
}

/** The faults the sandbox answers, named as QuickBooks names them. */
export const faults = {
  authenticationFailed: (detail: string) =>
    new QboFault(
      401,
      'AuthenticationFault',
      '3200',
      'message=AuthenticationFailed; errorCode=003200; statusCode=401',
      detail,
    ),
  authorizationFailed: (detail: string) =>
    new QboFault(
      403,
      'AuthorizationFault',
      '3100',
      'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
      detail,
    ),
  throttled: (detail = 'The request limit was reached.') =>
    new QboFault(
      429,
      'SERVICE',
      '003001',
      'message=ThrottleExceeded; errorCode=003001; statusCode=429',
      detail,
    ),
  service: () =>
    new QboFault(
      500,
      'SERVICE',
      '10000',
      'An application error has occurred while processing your request',
      'System Failure Error: An unexpected error occurred while processing the request',
    ),
  queryParse: (detail: string) =>
    new QboFault(400, 'ValidationFault', '4000', 'Error parsing query', `QueryParserError: ${detail}`),
  queryInvalid: (detail: string) =>
    new QboFault(400, 'ValidationFault', '4001', 'Invalid query', `QueryValidationError: ${detail}`),
  notFound: (
    detail = "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
  ) => new QboFault(400, 'ValidationFault', '610', 'Object Not Found', detail),
  staleObject: () =>
    new QboFault(
      400,
      'ValidationFault',
      '5010',
      'Stale Object Error',
      'Stale Object Error : You and another user were working on the same thing. The other user finished before you did, so your work was not saved.',
    ),
  /** QuickBooks' generic business-rule refusal (code 6000), here: a journal entry that does not balance. */
  unbalanced: () =>
    new QboFault(
      400,
      'ValidationFault',
      '6000',
      'A business validation error has occurred while processing your request',
      'Business Validation Error: You can’t save this journal entry because its debits and credits are not equal.',
    ),
  invalidReference: (detail: string, element?: string) =>
    new QboFault(400, 'ValidationFault', '2500', 'Invalid Reference Id', detail, element),
  required: (element: string) =>
    new QboFault(
      400,
      'ValidationFault',
      '2020',
      'Required param missing, need to supply the required value for the API',
      `Required parameter ${element} is missing in the request`,
      element,
    ),
  invalidRequest: (detail: string) =>
    new QboFault(400, 'ValidationFault', '2010', 'Request has invalid or unsupported property', detail),
  unsupported: (detail: string) => new QboFault(400, 'ValidationFault', '2030', 'Invalid ID', detail),
};

export function sendFault(reply: FastifyReply, fault: QboFault, time: string): FastifyReply {
  return reply.code(fault.status).type('application/json').send(fault.body(time));
}

const PACIFIC_STANDARD = -8 * 3_600_000;

/** US daylight saving (second Sunday of March 02:00 to first Sunday of November 02:00, local time). */
function pacificOffsetMs(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  const nthSunday = (month: number, n: number) => {
    const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
    return 1 + ((7 - first) % 7) + (n - 1) * 7;
  };
  const start = Date.UTC(year, 2, nthSunday(2, 2), 2) - PACIFIC_STANDARD; // 02:00 PST
  const end = Date.UTC(year, 10, nthSunday(10, 1), 2) - (PACIFIC_STANDARD + 3_600_000); // 02:00 PDT
  return ms >= start && ms < end ? PACIFIC_STANDARD + 3_600_000 : PACIFIC_STANDARD;
}

/**
 * QuickBooks renders times in the company's zone (our companies are in Pacific time), e.g.
 * `2026-11-23T07:09:27-08:00`; with `millis`, the response `time` form `…27.123-08:00`.
 */
export function qboTime(msOrIso: number | string, millis = false): string {
  const ms = typeof msOrIso === 'number' ? msOrIso : Date.parse(msOrIso);
  const offset = pacificOffsetMs(ms);
  const local = new Date(ms + offset).toISOString();
  const hours = Math.abs(offset) / 3_600_000;
  return `${millis ? local.slice(0, 23) : local.slice(0, 19)}${offset < 0 ? '-' : '+'}${String(hours).padStart(2, '0')}:00`;
}
