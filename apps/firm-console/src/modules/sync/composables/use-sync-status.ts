import { computed, onScopeDispose, ref, watch, type Ref } from 'vue';
import { errorMessage, toApiError, type ApiError } from '@ledgerport/web/api-client';
import { api } from '../../../api';
import type { SyncRun, SyncStatus } from '../types';

export type SyncResult<T> = { ok: true; value: T } | { ok: false; error: ApiError; message: string };

/** While a run is queued or running the card follows it every second; otherwise every 30 s. */
export const POLL_OPEN_MS = 1_000;
export const POLL_IDLE_MS = 30_000;

function fail<T>(error: unknown, response?: Response): SyncResult<T> {
  const e = toApiError(error, response);
  return { ok: false, error: e, message: errorMessage(e) };
}

/**
 * A client's sync (S3): the run going now with its progress, the last one and the counts, polled
 * while the page is visible (every second during a run, every 30 s otherwise; nothing while the tab
 * is hidden or after the component is gone). `onFinished` hears about each run that ends while
 * watched — with the finished run when the answer carries it — so the page can say what changed.
 */
export function useSyncStatus(
  clientId: Ref<string>,
  options: { onFinished?: (run: SyncRun | null) => void } = {},
) {
  const status = ref<SyncStatus | null>(null);
  const loaded = ref(false);
  /** GET …/sync answered 404 NO_CONNECTION: nothing to sync (yet, or any more). */
  const notConnected = ref(false);
  const error = ref<string | null>(null);
  const starting = ref(false);

  const current = computed(() => status.value?.current ?? null);
  const running = computed(() => current.value !== null);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;
  let disposed = false;

  function hidden(): boolean {
    return typeof document !== 'undefined' && document.visibilityState === 'hidden';
  }

  function accept(next: SyncStatus): void {
    const before = status.value?.current ?? null;
    status.value = next;
    loaded.value = true;
    notConnected.value = false;
    error.value = null;
    if (before && next.current?.id !== before.id) {
      options.onFinished?.(next.last?.id === before.id ? next.last : null);
    }
  }

  async function load(): Promise<void> {
    const mine = ++seq;
    try {
      const {
        data,
        error: err,
        response,
      } = await api.GET('/api/v1/clients/{clientId}/sync', {
        params: { path: { clientId: clientId.value } },
      });
      if (mine !== seq || disposed) return;
      if (data) accept(data);
      else if (response.status === 404) {
        status.value = null;
        notConnected.value = true;
        loaded.value = true;
        error.value = null;
      } else error.value = errorMessage(err, response);
    } catch (e) {
      if (mine === seq && !disposed) error.value = errorMessage(e);
    }
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = undefined;
    if (disposed || hidden()) return;
    timer = setTimeout(() => void tick(), running.value ? POLL_OPEN_MS : POLL_IDLE_MS);
  }

  async function tick(): Promise<void> {
    await load();
    schedule();
  }

  /** Reads the status now (e.g. after the review accounts changed) and carries on polling. */
  async function refresh(): Promise<void> {
    clearTimeout(timer);
    await tick();
  }

  /** Sync now (and Retry): the new run, or the one already queued or running. */
  async function syncNow(): Promise<SyncResult<SyncRun>> {
    starting.value = true;
    try {
      const {
        data,
        error: err,
        response,
      } = await api.POST('/api/v1/clients/{clientId}/sync', {
        params: { path: { clientId: clientId.value } },
      });
      if (!data) return fail(err, response);
      if (status.value) {
        // Follow the run from now on; a poll answer already in flight must not undo this.
        seq++;
        status.value = { ...status.value, current: data };
      }
      clearTimeout(timer);
      timer = setTimeout(() => void tick(), POLL_OPEN_MS);
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    } finally {
      starting.value = false;
    }
  }

  function onVisibility(): void {
    if (hidden()) {
      clearTimeout(timer);
      timer = undefined;
    } else void refresh();
  }

  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility);

  watch(
    clientId,
    () => {
      status.value = null;
      loaded.value = false;
      notConnected.value = false;
      error.value = null;
      void refresh();
    },
    { immediate: true },
  );

  onScopeDispose(() => {
    disposed = true;
    clearTimeout(timer);
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisibility);
  });

  return { status, loaded, notConnected, error, starting, current, running, load, refresh, syncNow };
}
