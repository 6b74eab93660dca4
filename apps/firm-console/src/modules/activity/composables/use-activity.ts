import { ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { ActivityEntry } from '@ledgerport/web/api-client';
import { api } from '../../../api';
import { firstString, usePagedList } from '../../../composables/use-paged-list';

/** The firm's activity log, newest first, optionally for one client (`/activity?client=<id>`). */
export function useActivity(pageSize = 25) {
  const route = useRoute();
  const router = useRouter();

  const clientId = ref<string | null>(firstString(route.query['client']) ?? null);
  const list = usePagedList<ActivityEntry>(
    ({ limit, offset }) =>
      api.GET('/api/v1/activity', {
        params: { query: { limit, offset, ...(clientId.value ? { clientId: clientId.value } : {}) } },
      }),
    { page: Number.parseInt(firstString(route.query['page']) ?? '1', 10) || 1, limit: pageSize },
  );

  function syncUrl(): void {
    const query: Record<string, string> = {};
    if (clientId.value) query['client'] = clientId.value;
    if (list.page.value > 1) query['page'] = String(list.page.value);
    void router.replace({ query });
  }

  watch(clientId, () => {
    list.page.value = 1;
    syncUrl();
    void list.load();
  });
  watch([list.page, list.limit], () => {
    syncUrl();
    void list.load();
  });

  return { ...list, clientId, entries: list.items };
}
