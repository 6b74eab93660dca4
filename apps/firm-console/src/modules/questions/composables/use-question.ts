import { computed, onScopeDispose, ref, watch, type Ref } from 'vue';
import { errorMessage, toApiError, type ApiError } from '@ledgerport/web/api-client';
import { api } from '../../../api';
import type { ApplyBody, QuestionDetail, QuestionUpdate } from '../types';

export type QuestionResult<T> = { ok: true; value: T } | { ok: false; error: ApiError; message: string };

function fail<T>(error: unknown, response?: Response): QuestionResult<T> {
  const e = toApiError(error, response);
  return { ok: false, error: e, message: errorMessage(e) };
}

/** While the ledger write-back is pending, the question is read again this often. */
export const APPLY_POLL_MS = 1_500;

type Answer = { data?: QuestionDetail; error?: unknown; response: Response };

/**
 * One question with its whole thread (Q10), and what the firm does with it: write to the client or
 * add an internal note, resolve and reopen, change its details, and apply the client's category to
 * the ledger (S6). While a write-back is pending the question is polled, never while the tab is
 * hidden or after the component is gone. `onChange` hears about every new state (for the board).
 */
export function useQuestion(
  id: Ref<string | null>,
  options: { onChange?: (q: QuestionDetail) => void } = {},
) {
  const question = ref<QuestionDetail | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const error = ref<string | null>(null);
  /** The action under way ("message", "resolve", "apply"…), for the buttons' spinners. */
  const busy = ref<string | null>(null);

  const applyPending = computed(() => question.value?.apply?.status === 'pending');

  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  function accept(next: QuestionDetail): void {
    question.value = next;
    notFound.value = false;
    error.value = null;
    options.onChange?.(next);
    schedule();
  }

  async function load(opts: { quiet?: boolean } = {}): Promise<void> {
    const current = id.value;
    if (!current) return;
    const mine = ++seq;
    if (!opts.quiet) {
      loading.value = true;
      error.value = null;
    }
    try {
      const {
        data,
        error: err,
        response,
      } = await api.GET('/api/v1/questions/{questionId}', {
        params: { path: { questionId: current } },
      });
      if (mine !== seq) return;
      if (data) accept(data);
      else if (response.status === 404) {
        question.value = null;
        notFound.value = true;
      } else if (!opts.quiet) error.value = errorMessage(err, response);
      else schedule();
    } catch (e) {
      if (mine !== seq) return;
      if (!opts.quiet) error.value = errorMessage(e);
      else schedule();
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function stop(): void {
    clearTimeout(timer);
    timer = undefined;
  }

  /** Follows a pending write-back until the worker is done with it. */
  function schedule(): void {
    stop();
    if (disposed || !applyPending.value) return;
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    timer = setTimeout(() => void load({ quiet: true }), APPLY_POLL_MS);
  }

  function onVisibility(): void {
    if (document.visibilityState === 'hidden') stop();
    else if (applyPending.value) void load({ quiet: true });
  }
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility);
  onScopeDispose(() => {
    disposed = true;
    stop();
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisibility);
  });

  watch(
    id,
    (next, before) => {
      if (next === before) return;
      stop();
      seq++;
      question.value = null;
      notFound.value = false;
      error.value = null;
      if (next) void load();
    },
    { immediate: true },
  );

  /** Runs one write and takes the question it answers (every write answers the whole question). */
  async function act(name: string, call: () => Promise<Answer>): Promise<QuestionResult<QuestionDetail>> {
    busy.value = name;
    try {
      const { data, error: err, response } = await call();
      if (!data) {
        // Someone else moved it on (resolved it, applied it): show what is true now.
        if (response.status === 409) void load({ quiet: true });
        return fail(err, response);
      }
      seq++;
      accept(data);
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    } finally {
      busy.value = null;
    }
  }

  function path(): { params: { path: { questionId: string } } } {
    return { params: { path: { questionId: id.value ?? '' } } };
  }

  const postMessage = (body: string, internal: boolean) =>
    act(internal ? 'note' : 'message', () =>
      api.POST('/api/v1/questions/{questionId}/messages', { ...path(), body: { body, internal } }),
    );
  const resolve = () => act('resolve', () => api.POST('/api/v1/questions/{questionId}/resolve', path()));
  const reopen = () => act('reopen', () => api.POST('/api/v1/questions/{questionId}/reopen', path()));
  const update = (patch: QuestionUpdate) =>
    act('update', () => api.PATCH('/api/v1/questions/{questionId}', { ...path(), body: patch }));
  const apply = (body: ApplyBody = {}) =>
    act(
      'apply',
      () => api.POST('/api/v1/questions/{questionId}/apply', { ...path(), body }) as Promise<Answer>,
    );

  return {
    question,
    loading,
    notFound,
    error,
    busy,
    applyPending,
    load,
    postMessage,
    resolve,
    reopen,
    update,
    apply,
  };
}
