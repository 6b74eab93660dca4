import { computed, onScopeDispose, reactive, ref, watch, type Ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { errorMessage } from '@ledgerport/web/api-client';
import { api } from '../../../api';
import {
  FIRST_PAGE,
  currentCursor,
  hasPrevious,
  pageNumber,
  popCursor,
  pushCursor,
  type CursorStack,
} from '../cursor-stack';
import {
  EMPTY_FILTERS,
  filtersFromQuery,
  filtersToApi,
  filtersToQuery,
  hasFilters,
  type ExplorerFilters,
} from '../explorer-filters';
import type { Payee, Transaction, TransactionQuery } from '../types';

export const EXPLORER_PAGE_SIZE = 50;
const SEARCH_DEBOUNCE_MS = 300;

/**
 * The transactions explorer (S4/S5): one keyset page of a client's transactions, newest first,
 * filtered by the API. The filters live in the URL (so a view can be shared and survives a reload);
 * the cursors of the pages before this one are kept as a stack for "Previous".
 */
export function useTransactions(clientId: Ref<string>) {
  const route = useRoute();
  const router = useRouter();

  const filters = reactive<ExplorerFilters>(filtersFromQuery(route.query));
  /** The search box as typed; it reaches `filters.q` after a pause in typing. */
  const search = ref(filters.q);

  const stack = ref<CursorStack>(FIRST_PAGE);
  const items = ref<Transaction[]>([]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loadedOnce = ref(false);
  const error = ref<string | null>(null);

  const page = computed(() => pageNumber(stack.value));
  const canGoBack = computed(() => hasPrevious(stack.value));
  const canGoOn = computed(() => nextCursor.value !== null);
  const filtered = computed(() => hasFilters(filters));
  /** What the API is asked (filters without paging), as a comparable key. */
  const question = computed(() => JSON.stringify(filtersToApi(filters)));

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    const query: TransactionQuery = { ...filtersToApi(filters), limit: EXPLORER_PAGE_SIZE };
    const cursor = currentCursor(stack.value);
    if (cursor) query.cursor = cursor;
    try {
      const {
        data,
        error: err,
        response,
      } = await api.GET('/api/v1/clients/{clientId}/transactions', {
        params: { path: { clientId: clientId.value }, query },
      });
      if (mine !== seq) return;
      if (!data) {
        error.value = errorMessage(err, response);
        return;
      }
      items.value = data.items;
      nextCursor.value = data.nextCursor;
      loadedOnce.value = true;
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function syncUrl(): void {
    const query = filtersToQuery(filters);
    if (JSON.stringify(query) !== JSON.stringify(filtersToQuery(filtersFromQuery(route.query)))) {
      void router.replace({ query });
    }
  }

  /** Back to the newest page of the current filters. */
  function firstPage(): void {
    stack.value = FIRST_PAGE;
    void load();
  }

  function next(): void {
    if (!nextCursor.value) return;
    stack.value = pushCursor(stack.value, nextCursor.value);
    void load();
  }

  function previous(): void {
    if (!canGoBack.value) return;
    stack.value = popCursor(stack.value);
    void load();
  }

  // A new question starts again from the newest page.
  watch(question, () => {
    syncUrl();
    firstPage();
  });
  // The payee's name only labels the filter, but it belongs in the URL too.
  watch(
    () => filters.payeeName,
    () => syncUrl(),
  );

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  watch(search, (value) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => (filters.q = value), SEARCH_DEBOUNCE_MS);
  });
  onScopeDispose(() => clearTimeout(searchTimer));

  // Back/forward, or a link to the explorer with other filters, while it is open.
  watch(
    () => route.query,
    (query) => {
      if (route.name !== 'client-transactions') return;
      const next = filtersFromQuery(query);
      if (JSON.stringify(filtersToQuery(next)) === JSON.stringify(filtersToQuery(filters))) return;
      Object.assign(filters, next);
      search.value = next.q;
    },
  );

  watch(clientId, () => {
    items.value = [];
    loadedOnce.value = false;
    firstPage();
  });

  function setPayee(payee: Pick<Payee, 'id' | 'name'> | null): void {
    filters.payeeId = payee?.id ?? '';
    filters.payeeName = payee?.name ?? '';
  }

  function clearFilters(): void {
    clearTimeout(searchTimer);
    search.value = '';
    Object.assign(filters, EMPTY_FILTERS);
  }

  return {
    filters,
    search,
    items,
    nextCursor,
    loading,
    loadedOnce,
    error,
    page,
    stack,
    canGoBack,
    canGoOn,
    filtered,
    load,
    firstPage,
    next,
    previous,
    setPayee,
    clearFilters,
  };
}

/** Payees whose name contains the text (at most 50), for the payee filter's suggestions. */
export function usePayeeSearch(clientId: Ref<string>) {
  const suggestions = ref<Payee[]>([]);
  let seq = 0;
  async function searchPayees(q: string): Promise<void> {
    const mine = ++seq;
    try {
      const { data } = await api.GET('/api/v1/clients/{clientId}/payees', {
        params: { path: { clientId: clientId.value }, query: q.trim() ? { q: q.trim() } : {} },
      });
      if (mine === seq) suggestions.value = data?.items ?? [];
    } catch {
      if (mine === seq) suggestions.value = [];
    }
  }
  return { suggestions, searchPayees };
}
