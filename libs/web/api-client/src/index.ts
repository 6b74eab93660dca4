import createClient, { type Client as FetchClient, type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export type { paths } from './schema';

/* ------------------------------------------------------------------------------------------------
 * Client
 * ---------------------------------------------------------------------------------------------- */

export type ApiClient = FetchClient<paths>;

let csrfToken: string | null = null;

/** Remember the session's CSRF token; it is sent with every cookie-authenticated write. */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Adds `X-CSRF-Token` to POST/PUT/PATCH/DELETE requests when a token is known. */
export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (csrfToken && WRITE_METHODS.has(request.method.toUpperCase())) {
      request.headers.set('X-CSRF-Token', csrfToken);
    }
    return request;
  },
};

/**
 * The typed REST client. Pages call it directly, e.g.
 * `api.GET('/api/v1/clients', { params: { query: { status: 'active' } } })`.
 */
export function createApiClient(baseUrl = ''): ApiClient {
  const client = createClient<paths>({ baseUrl, credentials: 'include' });
  client.use(csrfMiddleware);
  return client;
}

/* ------------------------------------------------------------------------------------------------
 * Types derived from the contract (by path, so they survive regeneration of schema.d.ts)
 * ---------------------------------------------------------------------------------------------- */

type JsonContent<R> = R extends { content: { 'application/json': infer T } } ? T : never;

/** JSON body of the 200 (or else 201) answer of an operation. */
export type SuccessBody<Op> = Op extends { responses: infer R }
  ? R extends { 200: infer Ok }
    ? JsonContent<Ok>
    : R extends { 201: infer Created }
      ? JsonContent<Created>
      : never
  : never;

/** JSON request body of an operation. */
export type RequestBody<Op> = Op extends { requestBody?: infer B } ? JsonContent<NonNullable<B>> : never;

export type Session = SuccessBody<paths['/api/v1/auth/session']['get']>;
export type SessionUser = Session['user'];
export type Role = SessionUser['role'];
export type PasswordTokenInfo = SuccessBody<paths['/api/v1/auth/password-tokens/{token}']['get']>;
export type PublicFirm = SuccessBody<paths['/api/v1/public/firms/{slug}']['get']>;
export type Firm = SuccessBody<paths['/api/v1/firm']['get']>;
export type FirmApplicationInput = RequestBody<paths['/api/v1/firm-applications']['post']>;
export type FirmSize = FirmApplicationInput['size'];
export type ClientPage = SuccessBody<paths['/api/v1/clients']['get']>;
export type Client = ClientPage['items'][number];
export type ClientStatus = Client['status'];
export type ClientSettings = Client['settings'];
export type ClientUpdate = RequestBody<paths['/api/v1/clients/{id}']['patch']>;
export type TeamMember = SuccessBody<paths['/api/v1/team']['get']>['items'][number];
export type ActivityPage = SuccessBody<paths['/api/v1/activity']['get']>;
export type ActivityEntry = ActivityPage['items'][number];
export type DevMail = SuccessBody<paths['/api/v1/dev/outbox']['get']>['items'][number];

/** The five firm sizes an applicant can choose from, in order. */
export const FIRM_SIZES: readonly FirmSize[] = ['1', '2-5', '6-20', '21-50', '51+'];

/* ------------------------------------------------------------------------------------------------
 * Errors
 * ---------------------------------------------------------------------------------------------- */

/** Body of every error answer: `code` is stable, `message` is written for a person. */
export interface ApiError {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

export interface FieldError {
  field: string;
  message: string;
}

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['statusCode'] === 'number' && typeof v['code'] === 'string' && typeof v['message'] === 'string'
  );
}

/**
 * Normalise whatever came back (an error body, a thrown network error, or nothing at all for a
 * body-less error answer) into an `ApiError`.
 */
export function toApiError(error: unknown, response?: Response): ApiError {
  if (isApiError(error)) return error;
  if (error instanceof TypeError || (error instanceof Error && error.name === 'TypeError')) {
    return {
      statusCode: 0,
      code: 'NETWORK_ERROR',
      message: "We couldn't reach Ledgerport. Check your connection and try again.",
    };
  }
  const status = response?.status ?? 0;
  if (typeof error === 'string' && error.trim() && !error.trim().startsWith('<')) {
    return { statusCode: status, code: 'UNKNOWN_ERROR', message: error.trim() };
  }
  return { statusCode: status, code: statusCode(status), message: fallbackMessage(status) };
}

/** Validation problems per field, from `details` of a `VALIDATION_FAILED` answer. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isApiError(error) || !Array.isArray(error.details)) return out;
  for (const d of error.details as unknown[]) {
    if (typeof d === 'object' && d !== null) {
      const { field, message } = d as Partial<FieldError>;
      if (typeof field === 'string' && typeof message === 'string' && !(field in out)) {
        out[field] = message;
      }
    }
  }
  return out;
}

/**
 * A sentence to show a person. Uses the API's own `message`; for validation failures the
 * per-field messages are added so nothing is hidden.
 */
export function errorMessage(error: unknown, response?: Response): string {
  const e = toApiError(error, response);
  const fields = Object.values(fieldErrors(e));
  if (fields.length === 0) return e.message;
  const sentences = fields.map((m) => (m.endsWith('.') ? m : `${capitalise(m)}.`));
  if (fields.length === 1 && e.message.toLowerCase().includes(fields[0]!.toLowerCase())) return e.message;
  return `${ensureStop(e.message)} ${sentences.map(capitalise).join(' ')}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function ensureStop(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function statusCode(status: number): string {
  switch (status) {
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 429:
      return 'TOO_MANY_REQUESTS';
    default:
      return status >= 500 ? 'SERVER_ERROR' : 'UNKNOWN_ERROR';
  }
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Please sign in again.';
  if (status === 403) return "You don't have permission to do that.";
  if (status === 404) return "We couldn't find what you were looking for.";
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  if (status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
  return 'Something went wrong. Please try again.';
}
export { NEXT_PAGE_PATTERN } from './next-page';
