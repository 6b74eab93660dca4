import { createApiClient } from '@ledgerport/web/api-client';

/** The one API client of the client portal (same origin; the dev server proxies /api). */
export const api = createApiClient();

/* ------------------------------------------------------------------------------------------------
 * CSRF: the portal session's token goes with every write
 * ---------------------------------------------------------------------------------------------- */

let csrfToken: string | null = null;

/** Remember the portal session's CSRF token (from the session DTO); `null` when signed out. */
export function setPortalCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

/** The CSRF token of the portal session, for the few requests made outside the typed client (uploads). */
export function portalCsrfToken(): string | null {
  return csrfToken;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

api.use({
  onRequest({ request }) {
    if (csrfToken && WRITE_METHODS.has(request.method.toUpperCase())) {
      request.headers.set('x-csrf-token', csrfToken);
    }
    return request;
  },
});

/* ------------------------------------------------------------------------------------------------
 * Session expiry: an authenticated request answering 401 means the session ended elsewhere
 * ---------------------------------------------------------------------------------------------- */

type Listener = () => void;
const expiredListeners = new Set<Listener>();

/** Called when a signed-in request answers 401 (the portal session ended or was revoked). */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

/** Requests whose 401 is an expected answer, not a sign that the session ended. */
function isQuiet401(schemaPath: string): boolean {
  if (schemaPath === '/api/v1/portal/auth/session/business') return false;
  return schemaPath.startsWith('/api/v1/portal/auth/') || schemaPath.startsWith('/api/v1/public/');
}

/** Tells the listeners the session ended (a 401 to a request made outside the typed client). */
export function reportSessionExpired(): void {
  for (const l of expiredListeners) l();
}

api.use({
  onResponse({ response, schemaPath }) {
    if (response.status === 401 && !isQuiet401(schemaPath)) reportSessionExpired();
    return undefined;
  },
});
