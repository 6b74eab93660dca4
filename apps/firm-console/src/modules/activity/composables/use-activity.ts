import { computed, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { errorMessage, type ActivityEntry } from '@ledgerport/web/api-client';
import { api } from '../../../api';

function firstString(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v ? v : undefined;
}

/** The firm's activity log, newest first, optionally for one client (`/activity?client=<id>`). */
export function useActivity(pageSize = 25) {
  const route = useRoute();
  const router = useRouter();

  const clientId = ref<string | null>(firstString(route.query['client']) ?? null);
  const page = ref(Math.max(1, Number.parseInt(firstString(route.query['page']) ?? '1', 10) || 1));
  const limit = ref(pageSize);
  const entries = ref<ActivityEntry[]>([]);
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
      const query = {
        limit: limit.value,
        offset: offset.value,
        ...(clientId.value ? { clientId: clientId.value } : {}),
      };
      const { data, error: err, response } = await api.GET('/api/v1/activity', { params: { query } });
      if (mine !== seq) return;
      if (data) {
        entries.value = data.items;
        total.value = data.total;
        loadedOnce.value = true;
      } else error.value = errorMessage(err, response);
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function syncUrl(): void {
    const query: Record<string, string> = {};
    if (clientId.value) query['client'] = clientId.value;
    if (page.value > 1) query['page'] = String(page.value);
    void router.replace({ query });
  }

  watch(clientId, () => {
    page.value = 1;
    syncUrl();
    void load();
  });
  watch([page, limit], () => {
    syncUrl();
    void load();
  });

  function onPage(event: { page: number; rows: number }): void {
    if (event.rows !== limit.value) {
      limit.value = event.rows;
      page.value = 1;
    } else page.value = event.page + 1;
  }

  return { clientId, page, limit, offset, entries, total, loading, loadedOnce, error, load, onPage };
}
