import { ref } from 'vue';
import {
  errorMessage,
  toApiError,
  type ApiError,
  type RequestBody,
  type SuccessBody,
  type paths,
} from '@ledgerport/web/api-client';
import { api } from '../../../api';
import { useSessionStore } from '../../../stores/session';

export type Branding = SuccessBody<paths['/api/v1/firm/branding']['get']>;
export type BrandingUpdate = RequestBody<paths['/api/v1/firm/branding']['put']>;

export type BrandingResult<T> = { ok: true; value: T } | { ok: false; error: ApiError; message: string };

/** What the logo endpoint takes (checked here first, so nobody waits for an upload that will be refused). */
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const LOGO_MAX_BYTES = 512 * 1024;

function fail<T>(error: unknown, response?: Response): BrandingResult<T> {
  const e = toApiError(error, response);
  return { ok: false, error: e, message: errorMessage(e) };
}

/** Why a file cannot be a logo, in words for a person; null when it can. */
export function logoProblem(file: File): string | null {
  if (!(LOGO_TYPES as readonly string[]).includes(file.type)) {
    return `“${file.name}” isn’t a PNG, JPEG or WebP image. Choose one of those.`;
  }
  if (file.size > LOGO_MAX_BYTES) {
    const kb = Math.ceil(file.size / 1024);
    return `“${file.name}” is ${kb.toLocaleString()} KB. A logo can be up to 512 KB — try exporting it smaller.`;
  }
  if (file.size === 0) return `“${file.name}” is empty. Choose another file.`;
  return null;
}

/** The firm's portal branding: everyone on the team may read it, admins change it. */
export function useBranding() {
  const session = useSessionStore();
  const branding = ref<Branding | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** Bumped after each logo change so the browser does not show a cached image. */
  const logoVersion = ref(0);

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const { data, error: err, response } = await api.GET('/api/v1/firm/branding');
      if (data) branding.value = data;
      else error.value = errorMessage(err, response);
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  async function save(body: BrandingUpdate): Promise<BrandingResult<Branding>> {
    try {
      const { data, error: err, response } = await api.PUT('/api/v1/firm/branding', { body });
      if (!data) return fail(err, response);
      branding.value = data;
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    }
  }

  /** Sends the file as the raw request body; the API reads its type from Content-Type. */
  async function uploadLogo(file: File): Promise<BrandingResult<Branding>> {
    try {
      const headers: Record<string, string> = { 'Content-Type': file.type };
      if (session.csrfToken) headers['x-csrf-token'] = session.csrfToken;
      const response = await fetch('/api/v1/firm/branding/logo', {
        method: 'PUT',
        body: file,
        headers,
        credentials: 'include',
      });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) return fail(body, response);
      branding.value = body as Branding;
      logoVersion.value++;
      return { ok: true, value: body as Branding };
    } catch (e) {
      return fail(e);
    }
  }

  async function removeLogo(): Promise<BrandingResult<Branding>> {
    try {
      const { data, error: err, response } = await api.DELETE('/api/v1/firm/branding/logo');
      if (!data) return fail(err, response);
      branding.value = data;
      logoVersion.value++;
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    }
  }

  return { branding, loading, error, logoVersion, load, save, uploadLogo, removeLogo };
}
