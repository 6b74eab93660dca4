import { ref } from 'vue';
import { errorMessage, toApiError, type ApiError } from '@ledgerport/web/api-client';
import { api } from '../../../api';
import type { PortalQuestionDetail } from '../../../types';

export type QuestionResult = { ok: true; question: PortalQuestionDetail } | { ok: false; error: ApiError };

export interface AnswerInput {
  body?: string;
  categoryId?: string;
  attachmentIds?: string[];
}

/** 404 QUESTION_NOT_FOUND: resolved by the firm (Q6), or never this business's. */
export function isClosed(error: ApiError): boolean {
  return error.code === 'QUESTION_NOT_FOUND';
}

/** One question with its thread and the teammates it can go to; answering and handing it over. */
export function useQuestion() {
  const question = ref<PortalQuestionDetail | null>(null);
  const loading = ref(false);
  /** The firm closed it (or it is not this business's): the page says so kindly. */
  const closed = ref(false);
  const failure = ref<string | null>(null);
  let seq = 0;

  /** GET one question of a business, without touching the page's state (to look in another business). */
  async function fetchQuestion(businessId: string, questionId: string): Promise<QuestionResult> {
    try {
      const { data, error, response } = await api.GET(
        '/api/v1/portal/businesses/{businessId}/questions/{questionId}',
        { params: { path: { businessId, questionId } } },
      );
      if (data) return { ok: true, question: data };
      return { ok: false, error: toApiError(error, response) };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  async function load(
    businessId: string,
    questionId: string,
    opts: { quiet?: boolean } = {},
  ): Promise<QuestionResult> {
    const mine = ++seq;
    if (!opts.quiet) {
      loading.value = true;
      failure.value = null;
      closed.value = false;
    }
    const result = await fetchQuestion(businessId, questionId);
    if (mine === seq) {
      loading.value = false;
      if (result.ok) {
        question.value = result.question;
        closed.value = false;
        failure.value = null;
      } else if (isClosed(result.error) || result.error.code === 'VALIDATION_FAILED') {
        // A mistyped address (not a question id) reads like one that is gone.
        question.value = null;
        closed.value = true;
      } else if (!opts.quiet) {
        failure.value = errorMessage(result.error);
      }
    }
    return result;
  }

  /** The question as an answer or a hand-over left it (an older load still on its way must not undo it). */
  function replace(next: PortalQuestionDetail): void {
    seq++;
    question.value = next;
  }

  function settle(result: QuestionResult, apply: boolean): QuestionResult {
    if (result.ok) {
      if (apply) replace(result.question);
    } else if (isClosed(result.error)) {
      question.value = null;
      closed.value = true;
    }
    return result;
  }

  /**
   * Sends an answer. The page takes the answered question with `replace` once the form has let go
   * of what it sent, so the form is not swept away mid-send.
   */
  async function answer(businessId: string, questionId: string, input: AnswerInput): Promise<QuestionResult> {
    try {
      const { data, error, response } = await api.POST(
        '/api/v1/portal/businesses/{businessId}/questions/{questionId}/answer',
        { params: { path: { businessId, questionId } }, body: input },
      );
      return settle(
        data ? { ok: true, question: data } : { ok: false, error: toApiError(error, response) },
        false,
      );
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  async function reassign(
    businessId: string,
    questionId: string,
    contactId: string,
  ): Promise<QuestionResult> {
    try {
      const { data, error, response } = await api.POST(
        '/api/v1/portal/businesses/{businessId}/questions/{questionId}/reassign',
        { params: { path: { businessId, questionId } }, body: { contactId } },
      );
      return settle(
        data ? { ok: true, question: data } : { ok: false, error: toApiError(error, response) },
        true,
      );
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  function reset(): void {
    seq++;
    question.value = null;
    closed.value = false;
    failure.value = null;
    loading.value = false;
  }

  return { question, loading, closed, failure, fetchQuestion, load, answer, reassign, replace, reset };
}
