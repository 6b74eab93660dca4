import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { firstString } from '../../../composables/use-paged-list';

/**
 * The question open over a board, kept in the route (`/questions/:questionId`), so a question can be
 * linked to and Back closes it. The board's filters stay in the query meanwhile.
 */
export function useQuestionRoute(routeName: string) {
  const route = useRoute();
  const router = useRouter();

  const openId = computed(() => firstString(route.params['questionId']) ?? null);

  function open(questionId: string): void {
    if (questionId === openId.value) return;
    const params = { ...route.params, questionId };
    if (openId.value) void router.replace({ name: routeName, params, query: route.query });
    else void router.push({ name: routeName, params, query: route.query });
  }

  /** Back to the board: a step back in history when that is where the person came from. */
  function close(): void {
    if (!openId.value) return;
    const board = router.resolve({
      name: routeName,
      params: { ...route.params, questionId: undefined },
      query: route.query,
    });
    const back = (window.history.state as { back?: unknown } | null)?.back;
    if (typeof back === 'string' && back === board.fullPath) router.back();
    else void router.replace(board);
  }

  return { openId, open, close };
}
