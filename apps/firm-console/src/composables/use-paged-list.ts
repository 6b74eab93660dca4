import { computed, ref, type Ref } from 'vue';
import { errorMessage } from '@ledgerport/web/api-client';

/** The first string of a route query value (`?a=x&a=y` → `x`); empty strings count as absent. */
export function firstString(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v ? v : undefined;
}

/** What an openapi-fetch call for one page of a list answers. */
export interface PageResponse<T> {
  data?: { items: T[]; total: number };
  error?: unknown;
  response: Response;
}

/**
 * One page of a server-paginated list (`limit`/`offset` in, `{items,total}` out): loading and error
 * state, PrimeVue paginator events, and a guard so a slow earlier answer never overwrites a newer one.
 * Filters and URL syncing stay with each list; they call `load()` when they change.
 */
export function usePagedList<T>(
  fetchPage: (page: { limit: number; offset: number }) => Promise<PageResponse<T>>,
  options: { page?: number; limit?: number } = {},
) {
  const page = ref(Math.max(1, options.page ?? 1));
  const limit = ref(options.limit ?? 25);
  const items = ref([]) as Ref<T[]>;
  const total = ref(0);
  const loading = ref(false);
  const loadedOnce = ref(false);
  const error = ref<string | null>(null);
  const offset = computed(() => (page.value - 1) * limit.value);

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const { data, error: err, response } = await fetchPage({ limit: limit.value, offset: offset.value });
      if (mine !== seq) return;
      if (!data) {
        error.value = errorMessage(err, response);
        return;
      }
      items.value = data.items;
      total.value = data.total;
      loadedOnce.value = true;
      // The last row of the last page went away (deleted, filtered out): step back a page.
      if (data.items.length === 0 && data.total > 0 && page.value > 1) {
        page.value = Math.max(1, Math.ceil(data.total / limit.value));
      }
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  /** PrimeVue DataTable/Paginator `page` event: a new page, or a new page size (back to page 1). */
  function onPage(event: { page: number; rows: number }): void {
    if (event.rows !== limit.value) {
      limit.value = event.rows;
      page.value = 1;
    } else {
      page.value = event.page + 1;
    }
  }

  return { page, limit, offset, items, total, loading, loadedOnce, error, load, onPage };
}
