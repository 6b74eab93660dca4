import { computed, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { api } from '../../../api';
import { firstString, usePagedList } from '../../../composables/use-paged-list';
import type { BoardPage, BoardQuery, BoardRow, ProviderName } from '../types';

export type StatusFilter = 'all' | 'connected' | 'needs_reconnect' | 'not_connected';
export type ProviderFilter = 'all' | ProviderName;
export type SortField = 'client' | 'provider' | 'status' | 'uncategorized' | 'synced';
export type SortDirection = 'asc' | 'desc';

export const STATUS_FILTERS: Array<{ value: StatusFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'connected', label: 'Connected' },
  { value: 'needs_reconnect', label: 'Needs reconnect' },
  { value: 'not_connected', label: 'Not connected' },
];

export const PROVIDER_FILTERS: Array<{ value: ProviderFilter; label: string }> = [
  { value: 'all', label: 'All software' },
  { value: 'qbo', label: 'QuickBooks Online' },
  { value: 'xero', label: 'Xero' },
];

export const BOARD_PAGE_SIZE = 50;
const SORT_FIELDS: readonly SortField[] = ['client', 'provider', 'status', 'uncategorized', 'synced'];

function pick<T extends string>(values: readonly T[], raw: unknown, fallback: T): T {
  const v = firstString(raw);
  return values.find((x) => x === v) ?? fallback;
}

/**
 * The connections board (L3): every client the person may see, one server-side page of 50 at a
 * time, filtered by status, software and name, sorted by the API. The view lives in the URL
 * (`/connections?status=needs_reconnect&provider=qbo&q=acme&sort=status&dir=desc&page=2`).
 */
export function useConnectionsBoard() {
  const route = useRoute();
  const router = useRouter();

  const q = ref(firstString(route.query['q']) ?? '');
  const status = ref<StatusFilter>(
    pick(
      STATUS_FILTERS.map((s) => s.value),
      route.query['status'],
      'all',
    ),
  );
  const provider = ref<ProviderFilter>(
    pick(
      PROVIDER_FILTERS.map((p) => p.value),
      route.query['provider'],
      'all',
    ),
  );
  const sort = ref<SortField>(pick(SORT_FIELDS, route.query['sort'], 'client'));
  const direction = ref<SortDirection>(pick(['asc', 'desc'] as const, route.query['dir'], 'asc'));

  /** Clients per connection status, across everyone the person may see (not filtered). */
  const counts = ref<BoardPage['counts'] | null>(null);

  const list = usePagedList<BoardRow>(
    async ({ limit, offset }) => {
      const query: BoardQuery = {
        status: status.value,
        sort: sort.value,
        direction: direction.value,
        limit,
        offset,
      };
      if (provider.value !== 'all') query.provider = provider.value;
      if (q.value.trim()) query.q = q.value.trim();
      const answer = await api.GET('/api/v1/connections', { params: { query } });
      if (answer.data) counts.value = answer.data.counts;
      return answer;
    },
    {
      page: Number.parseInt(firstString(route.query['page']) ?? '1', 10) || 1,
      limit: BOARD_PAGE_SIZE,
    },
  );
  const { page, load } = list;

  const filtered = computed(
    () => q.value.trim() !== '' || status.value !== 'all' || provider.value !== 'all',
  );

  function syncUrl(): void {
    const query: Record<string, string> = {};
    if (q.value.trim()) query['q'] = q.value.trim();
    if (status.value !== 'all') query['status'] = status.value;
    if (provider.value !== 'all') query['provider'] = provider.value;
    if (sort.value !== 'client') query['sort'] = sort.value;
    if (direction.value !== 'asc') query['dir'] = direction.value;
    if (page.value > 1) query['page'] = String(page.value);
    void router.replace({ query });
  }

  function reload(): void {
    syncUrl();
    void load();
  }

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  watch(q, () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      page.value = 1;
      reload();
    }, 300);
  });

  watch([status, provider, sort, direction], () => {
    page.value = 1;
    reload();
  });

  watch(page, reload);

  // Following a plain "/connections" link (sidebar) while filtered resets the view.
  watch(
    () => route.query,
    (query) => {
      if (route.name !== 'connections') return;
      const nextQ = firstString(query['q']) ?? '';
      if (nextQ !== q.value.trim()) q.value = nextQ;
      status.value = pick(
        STATUS_FILTERS.map((s) => s.value),
        query['status'],
        'all',
      );
      provider.value = pick(
        PROVIDER_FILTERS.map((p) => p.value),
        query['provider'],
        'all',
      );
      sort.value = pick(SORT_FIELDS, query['sort'], 'client');
      direction.value = pick(['asc', 'desc'] as const, query['dir'], 'asc');
    },
  );

  /** PrimeVue DataTable `sort` event (lazy): the API sorts. */
  function onSort(event: { sortField?: unknown; sortOrder?: number | null }): void {
    const field = SORT_FIELDS.find((f) => f === event.sortField) ?? 'client';
    sort.value = field;
    direction.value = event.sortOrder === -1 ? 'desc' : 'asc';
  }

  function clearFilters(): void {
    q.value = '';
    status.value = 'all';
    provider.value = 'all';
  }

  return { ...list, counts, q, status, provider, sort, direction, filtered, onSort, clearFilters };
}
