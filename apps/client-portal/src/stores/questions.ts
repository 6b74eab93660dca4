import { ref } from 'vue';
import { defineStore } from 'pinia';
import { errorMessage, toApiError, type ApiError } from '@ledgerport/web/api-client';
import { api } from '../api';
import { asListItem, placeQuestion } from '../modules/questions/question-words';
import type { PortalQuestion, PortalQuestionDetail, PortalQuestionList } from '../types';
import { usePortalSessionStore } from './session';

export type AskResult = { ok: true; question: PortalQuestionDetail } | { ok: false; error: ApiError };

/**
 * The questions of the businesses the person looked at this visit (Q4): one list per business,
 * shared by the list page, the question page ("Next question") and the home tile, so an answer
 * moves the question everywhere at once. The count also goes to the session (`openItems`), which the
 * header and the business switcher show.
 */
export const usePortalQuestionsStore = defineStore('portal-questions', () => {
  const session = usePortalSessionStore();
  /** Keyed by `${contactId}:${businessId}`: another person signing in on this browser starts afresh. */
  const lists = ref<Record<string, PortalQuestionList>>({});
  const loading = ref<Record<string, boolean>>({});
  const failures = ref<Record<string, string | null>>({});
  const seq: Record<string, number> = {};

  function key(businessId: string): string {
    return `${session.contact?.id ?? ''}:${businessId}`;
  }

  function listFor(businessId: string | null | undefined): PortalQuestionList | null {
    return businessId ? (lists.value[key(businessId)] ?? null) : null;
  }

  function isLoading(businessId: string | null | undefined): boolean {
    return businessId ? loading.value[key(businessId)] === true : false;
  }

  function failureFor(businessId: string | null | undefined): string | null {
    return businessId ? (failures.value[key(businessId)] ?? null) : null;
  }

  /** GET the business's questions; later answers win over earlier ones still on their way. */
  async function load(businessId: string): Promise<void> {
    const k = key(businessId);
    const mine = (seq[k] = (seq[k] ?? 0) + 1);
    loading.value[k] = true;
    failures.value[k] = null;
    try {
      const { data, error, response } = await api.GET('/api/v1/portal/businesses/{businessId}/questions', {
        params: { path: { businessId } },
      });
      if (mine !== seq[k]) return;
      if (data) {
        lists.value[k] = data;
        session.setOpenItems(businessId, data.openCount);
      } else {
        failures.value[k] = errorMessage(toApiError(error, response));
      }
    } catch (e) {
      if (mine === seq[k]) failures.value[k] = errorMessage(e);
    } finally {
      if (mine === seq[k]) loading.value[k] = false;
    }
  }

  /** Puts a question where it now belongs (or drops it: `null`), before the list is loaded again. */
  function place(businessId: string, id: string, q: PortalQuestion | PortalQuestionDetail | null): void {
    const k = key(businessId);
    const current = lists.value[k];
    if (!current) return;
    lists.value[k] = placeQuestion(current, id, q ? asListItem(q) : null);
    session.setOpenItems(businessId, lists.value[k]!.openCount);
  }

  /** Q3: asks the firm (only where `canAsk`); the question then waits on the bookkeeper. */
  async function ask(businessId: string, text: string): Promise<AskResult> {
    try {
      const { data, error, response } = await api.POST('/api/v1/portal/businesses/{businessId}/questions', {
        params: { path: { businessId } },
        body: { text },
      });
      if (data) {
        place(businessId, data.id, data);
        return { ok: true, question: data };
      }
      return { ok: false, error: toApiError(error, response) };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  return { lists, listFor, isLoading, failureFor, load, place, ask };
});
