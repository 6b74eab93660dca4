import { ref, watch, type Ref } from 'vue';
import { errorMessage } from '@ledgerport/web/api-client';
import { api } from '../../../api';
import type { SyncRun } from '../types';

/** The last 20 sync runs of a client ("Recent syncs"), read when asked for. */
export function useSyncRuns(clientId: Ref<string>) {
  const runs = ref<SyncRun[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const {
        data,
        error: err,
        response,
      } = await api.GET('/api/v1/clients/{clientId}/sync/runs', {
        params: { path: { clientId: clientId.value } },
      });
      if (mine !== seq) return;
      if (data) {
        runs.value = data.items;
        loaded.value = true;
      } else error.value = errorMessage(err, response);
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  watch(clientId, () => {
    runs.value = [];
    loaded.value = false;
  });

  return { runs, loading, loaded, error, load };
}
