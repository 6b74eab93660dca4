import { createApiClient } from '@ledgerport/web/api-client';

/** The one API client of the firm console (same origin; the dev server proxies /api). */
export const api = createApiClient();

type Listener = () => void;
const expiredListeners = new Set<Listener>();

/** Called when an authenticated request answers 401: the session ended elsewhere. */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

const QUIET_401 = new Set(['/api/v1/auth/session', '/api/v1/auth/login', '/api/v1/auth/password']);

api.use({
  onResponse({ response, schemaPath }) {
    if (response.status === 401 && !QUIET_401.has(schemaPath) && !schemaPath.startsWith('/api/v1/dev/')) {
      for (const l of expiredListeners) l();
    }
    return undefined;
  },
});
