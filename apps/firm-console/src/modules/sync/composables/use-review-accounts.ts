import { ref, watch, type Ref } from 'vue';
import { errorMessage, toApiError } from '@ledgerport/web/api-client';
import { api } from '../../../api';
import type { ReviewAccount } from '../types';
import type { SyncResult } from './use-sync-status';

/**
 * The synced chart of accounts with the "needs review" mark (S5): transactions posted to a marked
 * account count as uncategorized. Used by the review dialog and by the explorer's account filter.
 */
export function useReviewAccounts(clientId: Ref<string>) {
  const accounts = ref<ReviewAccount[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  /** Ids of the accounts whose mark is being saved. */
  const saving = ref<Set<string>>(new Set());

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
      } = await api.GET('/api/v1/clients/{clientId}/review-accounts', {
        params: { path: { clientId: clientId.value } },
      });
      if (mine !== seq) return;
      if (data) {
        accounts.value = data.items;
        loaded.value = true;
      } else if (response.status === 404) {
        // Not connected: no chart to choose from.
        accounts.value = [];
        loaded.value = true;
      } else error.value = errorMessage(err, response);
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  /**
   * Marks one account. The list keeps its order (the API's answer is sorted by the mark, and rows
   * jumping away under the pointer would be confusing); only the marks are taken from it.
   */
  async function setNeedsReview(
    accountId: string,
    needsReview: boolean,
  ): Promise<SyncResult<ReviewAccount[]>> {
    saving.value = new Set([...saving.value, accountId]);
    try {
      const {
        data,
        error: err,
        response,
      } = await api.PUT('/api/v1/clients/{clientId}/review-accounts/{accountId}', {
        params: { path: { clientId: clientId.value, accountId } },
        body: { needsReview },
      });
      if (!data) {
        const e = toApiError(err, response);
        return { ok: false, error: e, message: errorMessage(e) };
      }
      const marks = new Map(data.items.map((a) => [a.id, a.needsReview]));
      accounts.value = accounts.value.map((a) => ({ ...a, needsReview: marks.get(a.id) ?? a.needsReview }));
      return { ok: true, value: data.items };
    } catch (e) {
      const err = toApiError(e);
      return { ok: false, error: err, message: errorMessage(err) };
    } finally {
      const next = new Set(saving.value);
      next.delete(accountId);
      saving.value = next;
    }
  }

  watch(clientId, () => {
    accounts.value = [];
    loaded.value = false;
  });

  return { accounts, loading, loaded, error, saving, load, setNeedsReview };
}
