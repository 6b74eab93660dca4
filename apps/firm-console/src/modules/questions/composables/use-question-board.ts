import { computed, onScopeDispose, reactive, ref, watch, type Ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { api } from '../../../api';
import { usePagedList } from '../../../composables/use-paged-list';
import {
  EMPTY_FILTERS,
  filtersFromQuery,
  filtersToApi,
  filtersToQuery,
  hasFilters,
  type BoardFilters,
} from '../board-filters';
import type { Question, QuestionCounts } from '../types';

export const BOARD_PAGE_SIZE = 25;
const SEARCH_DEBOUNCE_MS = 300;

/**
 * The question board (Q1, Q2, Q10): one server-side page of questions, newest activity first, with
 * the counts per status. The view lives in the URL, so it can be shared, survives a reload, and is
 * still there when the drawer of one question closes. `clientId` fixes the board to one client (a
 * client's own Questions page); `routeNames` are the routes that show this board.
 */
export function useQuestionBoard(options: { clientId?: Ref<string>; routeNames: readonly string[] }) {
  const route = useRoute();
  const router = useRouter();
  const fixedClient = computed(() => options.clientId?.value ?? '');

  const initial = filtersFromQuery(route.query);
  const filters = reactive<BoardFilters>({ ...initial, page: 1 });
  /** The search box as typed; it reaches `filters.q` after a pause in typing. */
  const search = ref(filters.q);
  const counts = ref<QuestionCounts | null>(null);

  const list = usePagedList<Question>(
    async ({ limit, offset }) => {
      const query = { ...filtersToApi(filters, fixedClient.value || undefined), limit, offset };
      const answer = await api.GET('/api/v1/questions', { params: { query } });
      if (answer.data) counts.value = answer.data.counts;
      return answer;
    },
    { page: initial.page, limit: BOARD_PAGE_SIZE },
  );
  const { page, load } = list;

  const filtered = computed(() => hasFilters(filters, !!fixedClient.value));
  /** What the API is asked (filters without paging), as a comparable key. */
  const question = computed(() => JSON.stringify(filtersToApi(filters, fixedClient.value || undefined)));

  function currentQuery(): Record<string, string> {
    const query = filtersToQuery({ ...filters, page: page.value });
    // A client's own board does not repeat its client in the address.
    if (fixedClient.value) delete query['client'];
    return query;
  }

  function syncUrl(): void {
    if (!options.routeNames.includes(String(route.name))) return;
    const query = currentQuery();
    const now = filtersToQuery(filtersFromQuery(route.query));
    if (JSON.stringify(query) !== JSON.stringify(now)) void router.replace({ query });
  }

  watch(question, () => {
    page.value = 1;
    syncUrl();
    void load();
  });
  watch(page, () => {
    syncUrl();
    void load();
  });

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  watch(search, (value) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => (filters.q = value), SEARCH_DEBOUNCE_MS);
  });
  onScopeDispose(() => clearTimeout(searchTimer));

  // Back/forward, or a link to the board with other filters (the sidebar's plain /questions).
  watch(
    () => route.query,
    (query) => {
      if (!options.routeNames.includes(String(route.name))) return;
      const next = filtersFromQuery(query);
      if (fixedClient.value) next.clientId = '';
      const { page: nextPage, ...rest } = next;
      const { page: _ignored, ...mine } = { ...filters, page: page.value };
      if (JSON.stringify(rest) !== JSON.stringify(mine)) {
        Object.assign(filters, rest);
        if (search.value.trim() !== rest.q.trim()) search.value = rest.q;
      }
      if (nextPage !== page.value) page.value = nextPage;
    },
  );

  watch(fixedClient, () => {
    page.value = 1;
    void load();
  });

  /** Puts a changed question in its row at once (the next load may move it to another tab). */
  function replace(q: Pick<Question, 'id'> & Partial<Question>): void {
    const i = list.items.value.findIndex((x) => x.id === q.id);
    if (i >= 0) list.items.value.splice(i, 1, { ...list.items.value[i]!, ...q });
  }

  function clearFilters(): void {
    clearTimeout(searchTimer);
    search.value = '';
    Object.assign(filters, { ...EMPTY_FILTERS, status: filters.status, page: 1 });
  }

  return { ...list, filters, search, counts, filtered, fixedClient, replace, clearFilters };
}
