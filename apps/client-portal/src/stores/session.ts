import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { toApiError, type ApiError } from '@ledgerport/web/api-client';
import { api, setPortalCsrfToken } from '../api';
import type { PortalBusiness, PortalSession } from '../types';

export type SessionResult = { ok: true; session: PortalSession } | { ok: false; error: ApiError };

/** `/<firm slug>/home` of a business: where the portal shows it. */
export function businessHome(business: Pick<PortalBusiness, 'firm'>): string {
  return `/${business.firm.slug}/home`;
}

/** `/<firm slug>/questions` of a business: what needs the person's answer, and the rest. */
export function businessQuestions(business: Pick<PortalBusiness, 'firm'>): string {
  return `/${business.firm.slug}/questions`;
}

/** `/<firm slug>/questions/<id>`: one question of the current business. */
export function questionPath(business: Pick<PortalBusiness, 'firm'>, questionId: string): string {
  return `/${business.firm.slug}/questions/${encodeURIComponent(questionId)}`;
}

/** The client contact's portal session: who they are, their businesses, the one being looked at. */
export const usePortalSessionStore = defineStore('portal-session', () => {
  const session = ref<PortalSession | null>(null);
  const loaded = ref(false);
  let pending: Promise<void> | null = null;

  const isSignedIn = computed(() => session.value !== null);
  const contact = computed(() => session.value?.contact ?? null);
  const firstName = computed(() => contact.value?.name.trim().split(/\s+/)[0] ?? '');
  const businesses = computed<PortalBusiness[]>(() => session.value?.businesses ?? []);
  const currentBusiness = computed<PortalBusiness | null>(
    () =>
      businesses.value.find((b) => b.id === session.value?.currentBusinessId) ?? businesses.value[0] ?? null,
  );
  /** The person's businesses are looked after by more than one firm: name the firm beside each. */
  const spansFirms = computed(() => new Set(businesses.value.map((b) => b.firm.slug)).size > 1);
  const isOwner = computed(() => currentBusiness.value?.role === 'owner');
  const csrfToken = computed(() => session.value?.csrfToken ?? null);

  function apply(next: PortalSession): void {
    session.value = next;
    setPortalCsrfToken(next.csrfToken);
    loaded.value = true;
  }

  function clear(): void {
    session.value = null;
    setPortalCsrfToken(null);
  }

  /** `GET session`; a 401 (or an unreachable API) means signed out. */
  async function load(): Promise<void> {
    try {
      const { data } = await api.GET('/api/v1/portal/auth/session');
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

  async function settle(
    call: Promise<{ data?: PortalSession; error?: unknown; response: Response }>,
  ): Promise<SessionResult> {
    try {
      const { data, error, response } = await call;
      if (data) {
        apply(data);
        return { ok: true, session: data };
      }
      return { ok: false, error: toApiError(error, response) };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  function signInWithPassword(email: string, password: string, firmSlug: string): Promise<SessionResult> {
    return settle(api.POST('/api/v1/portal/auth/login', { body: { email, password, firmSlug } }));
  }

  function signInWithLink(token: string): Promise<SessionResult> {
    return settle(api.POST('/api/v1/portal/auth/sign-in-link/sign-in', { body: { token } }));
  }

  function setPassword(token: string, password: string): Promise<SessionResult> {
    return settle(api.POST('/api/v1/portal/auth/password', { body: { token, password } }));
  }

  /** Makes `businessId` the current business (the API remembers the choice). */
  function switchBusiness(businessId: string): Promise<SessionResult> {
    return settle(api.PUT('/api/v1/portal/auth/session/business', { body: { businessId } }));
  }

  async function signOut(): Promise<void> {
    try {
      await api.POST('/api/v1/portal/auth/logout');
    } finally {
      clear();
    }
  }

  /**
   * The number of open questions assigned to the person at a business (`openItems`), as a fresher
   * answer (the questions list, an answer just sent) says it: the header and home follow at once.
   */
  function setOpenItems(businessId: string, count: number): void {
    const b = session.value?.businesses.find((x) => x.id === businessId);
    if (b && b.openItems !== count) b.openItems = count;
  }

  /** The first business the person has with the firm at `slug`, the current one preferred. */
  function businessWithFirm(slug: string): PortalBusiness | null {
    if (currentBusiness.value?.firm.slug === slug) return currentBusiness.value;
    return businesses.value.find((b) => b.firm.slug === slug) ?? null;
  }

  return {
    session,
    loaded,
    isSignedIn,
    contact,
    firstName,
    businesses,
    currentBusiness,
    spansFirms,
    isOwner,
    csrfToken,
    apply,
    clear,
    load,
    ensureLoaded,
    signInWithPassword,
    signInWithLink,
    setPassword,
    switchBusiness,
    signOut,
    setOpenItems,
    businessWithFirm,
  };
});
