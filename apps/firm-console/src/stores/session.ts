import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { setCsrfToken, toApiError, type ApiError, type Session } from '@ledgerport/web/api-client';
import { api } from '../api';

export type SignInResult = { ok: true } | { ok: false; error: ApiError };

export const useSessionStore = defineStore('session', () => {
  const session = ref<Session | null>(null);
  const loaded = ref(false);
  let pending: Promise<void> | null = null;

  const user = computed(() => session.value?.user ?? null);
  const firm = computed(() => session.value?.firm ?? null);
  const csrfToken = computed(() => session.value?.csrfToken ?? null);
  const isSignedIn = computed(() => session.value !== null);
  const isAdmin = computed(() => session.value?.user.role === 'admin');

  function apply(next: Session): void {
    session.value = next;
    setCsrfToken(next.csrfToken);
    loaded.value = true;
  }

  function clear(): void {
    session.value = null;
    setCsrfToken(null);
  }

  /** Loads `GET /api/v1/auth/session`; a 401 (or an unreachable API) means signed out. */
  async function load(): Promise<void> {
    try {
      const { data } = await api.GET('/api/v1/auth/session');
      if (data) apply(data);
      else clear();
    } catch {
      clear();
    } finally {
      loaded.value = true;
    }
  }

  /** Loads the session once; later calls reuse the first answer. */
  function ensureLoaded(): Promise<void> {
    if (loaded.value) return Promise.resolve();
    pending ??= load().finally(() => {
      pending = null;
    });
    return pending;
  }

  async function signIn(email: string, password: string): Promise<SignInResult> {
    try {
      const { data, error, response } = await api.POST('/api/v1/auth/login', { body: { email, password } });
      if (data) {
        apply(data);
        return { ok: true };
      }
      return { ok: false, error: toApiError(error, response) };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  async function signOut(): Promise<void> {
    try {
      await api.POST('/api/v1/auth/logout');
    } finally {
      clear();
    }
  }

  return {
    session,
    loaded,
    user,
    firm,
    csrfToken,
    isSignedIn,
    isAdmin,
    apply,
    clear,
    load,
    ensureLoaded,
    signIn,
    signOut,
  };
});
