import { computed, onBeforeUnmount, ref, watch } from 'vue';
import { errorMessage } from '@ledgerport/web/api-client';
import { api } from '../../../api';
import type { DirectoryFirm } from '../../../types';

export const MIN_QUERY = 2;

/** Search-as-you-type over the firms on Ledgerport (approved firms, at most 10 matches). */
export function useFirmDirectory() {
  const query = ref('');
  const results = ref<DirectoryFirm[]>([]);
  const searching = ref(false);
  const failure = ref<string | null>(null);
  /** The query the current results answer (null before any search). */
  const answered = ref<string | null>(null);
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const trimmed = computed(() => query.value.trim());
  const tooShort = computed(() => trimmed.value.length < MIN_QUERY);

  async function search(q: string): Promise<void> {
    const mine = ++seq;
    searching.value = true;
    failure.value = null;
    try {
      const { data, error, response } = await api.GET('/api/v1/portal/firm-directory', {
        params: { query: { q } },
      });
      if (mine !== seq) return;
      if (data) {
        results.value = data.items;
        answered.value = q;
      } else {
        failure.value = errorMessage(error, response);
      }
    } catch (e) {
      if (mine === seq) failure.value = errorMessage(e);
    } finally {
      if (mine === seq) searching.value = false;
    }
  }

  watch(trimmed, (q) => {
    if (timer) clearTimeout(timer);
    if (q.length < MIN_QUERY) {
      seq++;
      results.value = [];
      answered.value = null;
      searching.value = false;
      failure.value = null;
      return;
    }
    timer = setTimeout(() => void search(q), 250);
  });

  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
  });

  function reset(): void {
    query.value = '';
  }

  return { query, trimmed, tooShort, results, searching, failure, answered, search, reset };
}
