import { computed, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { errorMessage, type Client } from '@ledgerport/web/api-client';
import { api } from '../../../api';

export type StatusFilter = 'active' | 'archived' | 'all';

export const STATUS_OPTIONS: Array<{ value: StatusFilter; label: string }> = [
  { value: 'active', label: 'Active' },
  { value: 'archived', label: 'Archived' },
  { value: 'all', label: 'All' },
];

const PAGE_SIZES = [25, 50, 100] as const;

function firstString(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : undefined;
}

/**
 * The clients table: search, status filter and pagination, mirrored in the URL
 * (`/clients?q=acme&status=archived&page=2`) so Back and shared links keep the view.
 */
export function useClientList() {
  const route = useRoute();
  const router = useRouter();

  const q = ref(firstString(route.query['q']) ?? '');
  const status = ref<StatusFilter>(
    (['active', 'archived', 'all'] as const).find((s) => s === firstString(route.query['status'])) ??
      'active',
  );
  const limit = ref<number>(PAGE_SIZES.find((n) => String(n) === firstString(route.query['size'])) ?? 25);
  const page = ref(Math.max(1, Number.parseInt(firstString(route.query['page']) ?? '1', 10) || 1));

  const items = ref<Client[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const loadedOnce = ref(false);
  const error = ref<string | null>(null);

  const offset = computed(() => (page.value - 1) * limit.value);
  const filtered = computed(() => q.value.trim() !== '' || status.value !== 'active');

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const query = {
        status: status.value,
        limit: limit.value,
        offset: offset.value,
        ...(q.value.trim() ? { q: q.value.trim() } : {}),
      };
      const { data, error: err, response } = await api.GET('/api/v1/clients', { params: { query } });
      if (mine !== seq) return;
      if (data) {
        items.value = data.items;
        total.value = data.total;
        loadedOnce.value = true;
        // Deleting the last row of the last page: step back a page.
        if (data.items.length === 0 && data.total > 0 && page.value > 1) {
          page.value = Math.max(1, Math.ceil(data.total / limit.value));
        }
      } else {
        error.value = errorMessage(err, response);
      }
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function syncUrl(): void {
    const query: Record<string, string> = {};
    if (q.value.trim()) query['q'] = q.value.trim();
    if (status.value !== 'active') query['status'] = status.value;
    if (page.value > 1) query['page'] = String(page.value);
    if (limit.value !== 25) query['size'] = String(limit.value);
    void router.replace({ query });
  }

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  watch(q, () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      page.value = 1;
      syncUrl();
      void load();
    }, 250);
  });

  watch(status, () => {
    page.value = 1;
    syncUrl();
    void load();
  });

  watch([page, limit], () => {
    syncUrl();
    void load();
  });

  // Following a plain "/clients" link (sidebar, breadcrumb) while filtered resets the view.
  watch(
    () => route.query,
    (query) => {
      if (route.name !== 'clients') return;
      const nextQ = firstString(query['q']) ?? '';
      const nextStatus =
        (['active', 'archived', 'all'] as const).find((s) => s === firstString(query['status'])) ?? 'active';
      if (nextQ !== q.value.trim()) q.value = nextQ;
      if (nextStatus !== status.value) status.value = nextStatus;
    },
  );

  function onPage(event: { page: number; rows: number }): void {
    if (event.rows !== limit.value) {
      limit.value = event.rows;
      page.value = 1;
    } else {
      page.value = event.page + 1;
    }
  }

  function clearFilters(): void {
    q.value = '';
    status.value = 'active';
  }

  return {
    q,
    status,
    limit,
    page,
    offset,
    items,
    total,
    loading,
    loadedOnce,
    error,
    filtered,
    pageSizes: PAGE_SIZES,
    load,
    onPage,
    clearFilters,
  };
}
