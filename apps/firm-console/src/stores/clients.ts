import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Client } from '@ledgerport/web/api-client';
import { api } from '../api';

/**
 * Every client the signed-in person can see (up to 200), for the client switcher and the
 * assignment pickers. Pages call `refresh()` after they change a client.
 */
export const useClientDirectoryStore = defineStore('client-directory', () => {
  const clients = ref<Client[]>([]);
  const loading = ref(false);
  const loaded = ref(false);

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      const { data } = await api.GET('/api/v1/clients', { params: { query: { status: 'all', limit: 200 } } });
      if (data) {
        clients.value = data.items;
        loaded.value = true;
      }
    } catch {
      /* the switcher simply stays as it was */
    } finally {
      loading.value = false;
    }
  }

  function ensureLoaded(): Promise<void> {
    return loaded.value || loading.value ? Promise.resolve() : refresh();
  }

  function reset(): void {
    clients.value = [];
    loaded.value = false;
  }

  return { clients, loading, loaded, refresh, ensureLoaded, reset };
});
