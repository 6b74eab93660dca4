import { ref } from 'vue';
import { errorMessage, toApiError } from '@ledgerport/web/api-client';
import { api } from '../../../api';
import type { PortalConnectionInfo } from '../../../types';

/** The URL that starts connecting a business's ledger (GET in the consent popup; portal cookie). */
export function portalConnectUrl(businessId: string, provider: string): string {
  return `/api/v1/portal/businesses/${encodeURIComponent(businessId)}/connection/connect?provider=${encodeURIComponent(provider)}`;
}

/** The business's ledger connection as the portal sees it. */
export function useBusinessConnection() {
  const info = ref<PortalConnectionInfo | null>(null);
  const loading = ref(false);
  const failure = ref<string | null>(null);
  let seq = 0;

  async function load(businessId: string): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    failure.value = null;
    try {
      const { data, error, response } = await api.GET('/api/v1/portal/businesses/{businessId}/connection', {
        params: { path: { businessId } },
      });
      if (mine !== seq) return;
      if (data) info.value = data;
      else failure.value = errorMessage(toApiError(error, response));
    } catch (e) {
      if (mine === seq) failure.value = errorMessage(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  return { info, loading, failure, load };
}
