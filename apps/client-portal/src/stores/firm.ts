import { ref } from 'vue';
import { defineStore } from 'pinia';
import { errorMessage, type PublicFirm } from '@ledgerport/web/api-client';
import { api } from '../api';

export type FirmLookup =
  | { state: 'loading' }
  | { state: 'found'; firm: PublicFirm }
  | { state: 'not-found' }
  | { state: 'error'; message: string };

/** The firm whose portal is open (by slug), for branding every portal page. */
export const usePortalFirmStore = defineStore('portal-firm', () => {
  const slug = ref<string | null>(null);
  const lookup = ref<FirmLookup>({ state: 'loading' });

  async function open(nextSlug: string): Promise<void> {
    if (slug.value === nextSlug && lookup.value.state === 'found') return;
    slug.value = nextSlug;
    lookup.value = { state: 'loading' };
    try {
      const { data, error, response } = await api.GET('/api/v1/public/firms/{slug}', {
        params: { path: { slug: nextSlug } },
      });
      if (slug.value !== nextSlug) return;
      if (data) lookup.value = { state: 'found', firm: data };
      else if (response.status === 404 || response.status === 400) lookup.value = { state: 'not-found' };
      else lookup.value = { state: 'error', message: errorMessage(error, response) };
    } catch (e) {
      if (slug.value === nextSlug) lookup.value = { state: 'error', message: errorMessage(e) };
    }
  }

  return { slug, lookup, open };
});
