import { createApiClient } from '@ledgerport/web/api-client';

/** The one API client of the client portal (same origin; the dev server proxies /api). */
export const api = createApiClient();
