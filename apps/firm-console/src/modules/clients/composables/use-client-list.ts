import { computed, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { Client } from '@ledgerport/web/api-client';
import { api } from '../../../api';
import { firstString, usePagedList } from '../../../composables/use-paged-list';

export type StatusFilter = 'active' | 'archived' | 'all';

export const STATUS_OPTIONS: Array<{ value: StatusFilter; label: string }> = [
  { value: 'active', label: 'Active' },
  { value: 'archived', label: 'Archived' },
  { value: 'all', label: 'All' },
];

const PAGE_SIZES = [25, 50, 100] as const;

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
  const list = usePagedList<Client>(
    ({ limit, offset }) =>
      api.GET('/api/v1/clients', {
        params: {
          query: { status: status.value, limit, offset, ...(q.value.trim() ? { q: q.value.trim() } : {}) },
        },
      }),
    {
      page: Number.parseInt(firstString(route.query['page']) ?? '1', 10) || 1,
      limit: PAGE_SIZES.find((n) => String(n) === firstString(route.query['size'])) ?? 25,
    },
  );
  const { page, limit, load } = list;
  const filtered = computed(() => q.value.trim() !== '' || status.value !== 'active');

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

  function clearFilters(): void {
    q.value = '';
    status.value = 'active';
  }

  return { ...list, q, status, filtered, pageSizes: PAGE_SIZES, clearFilters };
}
