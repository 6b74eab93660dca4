import { ref, watch, type Ref } from 'vue';
import { errorMessage, type Client } from '@ledgerport/web/api-client';
import { api } from '../../../api';

/** One client by id; `notFound` covers both "deleted" and "not yours" (the API answers 404 for both). */
export function useClient(id: Ref<string>) {
  const client = ref<Client | null>(null);
  const loading = ref(true);
  const notFound = ref(false);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    notFound.value = false;
    try {
      const {
        data,
        error: err,
        response,
      } = await api.GET('/api/v1/clients/{id}', {
        params: { path: { id: id.value } },
      });
      if (data) client.value = data;
      else if (response.status === 404 || response.status === 400) {
        client.value = null;
        notFound.value = true;
      } else error.value = errorMessage(err, response);
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  watch(id, () => void load(), { immediate: true });

  return { client, loading, notFound, error, load };
}
