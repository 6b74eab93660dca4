import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { api } from '../api';
import type { QuestionCounts } from '../modules/questions/types';

/** How stale the sidebar's count may get before a navigation reads it again. */
const FRESH_MS = 20_000;

/**
 * Questions per status across every client the signed-in person may see, for the sidebar's
 * "Questions" badge (what is waiting on the firm). Pages that change a question call `refresh()`.
 */
export const useQuestionCountsStore = defineStore('question-counts', () => {
  const counts = ref<QuestionCounts | null>(null);
  let readAt = 0;
  let seq = 0;

  const waitingOnUs = computed(() => counts.value?.answered ?? 0);

  async function refresh(): Promise<void> {
    const mine = ++seq;
    readAt = Date.now();
    try {
      const { data } = await api.GET('/api/v1/questions', {
        params: { query: { status: 'answered', limit: 1 } },
      });
      if (data && mine === seq) counts.value = data.counts;
    } catch {
      /* the badge simply stays as it was */
    }
  }

  /** Reads the counts again unless they were read a moment ago. */
  function refreshIfStale(): void {
    if (Date.now() - readAt > FRESH_MS) void refresh();
  }

  function reset(): void {
    counts.value = null;
    readAt = 0;
  }

  return { counts, waitingOnUs, refresh, refreshIfStale, reset };
});
