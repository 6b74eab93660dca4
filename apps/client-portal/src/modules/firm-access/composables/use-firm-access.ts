import { ref } from 'vue';
import { errorMessage, toApiError, type ApiError } from '@ledgerport/web/api-client';
import { api } from '../../../api';
import type { FirmAccess } from '../../../types';

export type AccessResult = { ok: true } | { ok: false; error: ApiError };

/** The firms with access to one business, and giving / revoking that access (owners only). */
export function useFirmAccess() {
  const items = ref<FirmAccess[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const failure = ref<string | null>(null);
  /** The API said only owners may see this (the role changed since the session was loaded). */
  const ownerOnly = ref(false);
  let seq = 0;

  async function load(businessId: string): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    failure.value = null;
    try {
      const { data, error, response } = await api.GET('/api/v1/portal/businesses/{businessId}/firm-access', {
        params: { path: { businessId } },
      });
      if (mine !== seq) return;
      if (data) {
        items.value = data.items;
        ownerOnly.value = false;
        loaded.value = true;
      } else {
        const e = toApiError(error, response);
        if (e.code === 'OWNER_ONLY') ownerOnly.value = true;
        else failure.value = errorMessage(e);
      }
    } catch (e) {
      if (mine === seq) failure.value = errorMessage(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  async function grant(businessId: string, firmId: string): Promise<AccessResult> {
    try {
      const { data, error, response } = await api.POST('/api/v1/portal/businesses/{businessId}/firm-access', {
        params: { path: { businessId } },
        body: { firmId },
      });
      if (data) {
        items.value = [...items.value.filter((i) => i.firmId !== data.firmId), data];
        return { ok: true };
      }
      return { ok: false, error: toApiError(error, response) };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  async function revoke(businessId: string, firmId: string): Promise<AccessResult> {
    try {
      const { error, response } = await api.DELETE(
        '/api/v1/portal/businesses/{businessId}/firm-access/{firmId}',
        { params: { path: { businessId, firmId } } },
      );
      if (response.ok) {
        items.value = items.value.filter((i) => i.firmId !== firmId);
        return { ok: true };
      }
      return { ok: false, error: toApiError(error, response) };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  return { items, loading, loaded, failure, ownerOnly, load, grant, revoke };
}
