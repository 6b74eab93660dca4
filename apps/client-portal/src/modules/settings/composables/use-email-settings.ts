import { ref } from 'vue';
import {
  errorMessage,
  toApiError,
  type ApiError,
  type SuccessBody,
  type paths,
} from '@ledgerport/web/api-client';
import { api } from '../../../api';

/** How often the person hears about questions, and whether they are reminded (Q9). */
export type EmailSettings = SuccessBody<paths['/api/v1/portal/notification-settings']['get']>;
export type QuestionEmails = EmailSettings['questionEmails'];

export type SaveResult = { ok: true; value: EmailSettings } | { ok: false; error: ApiError; message: string };

/** The choices for question emails, in the words the page shows. */
export const QUESTION_EMAIL_OPTIONS: ReadonlyArray<{
  value: QuestionEmails;
  label: string;
  description: string;
}> = [
  {
    value: 'immediately',
    label: 'As soon as questions are asked (grouped)',
    description: 'Questions asked close together come in one email.',
  },
  {
    value: 'daily',
    label: 'Once a day',
    description: 'One email a day with the new questions, if there are any.',
  },
  {
    value: 'weekly',
    label: 'Once a week',
    description: 'One email a week with the new questions, if there are any.',
  },
];

/** The signed-in person's own email settings (they are the person's, whatever the business). */
export function useEmailSettings() {
  const settings = ref<EmailSettings | null>(null);
  const loading = ref(false);
  const failure = ref<string | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    failure.value = null;
    try {
      const { data, error, response } = await api.GET('/api/v1/portal/notification-settings');
      if (data) settings.value = data;
      else failure.value = errorMessage(error, response);
    } catch (e) {
      failure.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  async function save(body: EmailSettings): Promise<SaveResult> {
    try {
      const { data, error, response } = await api.PUT('/api/v1/portal/notification-settings', { body });
      if (!data) {
        const e = toApiError(error, response);
        return { ok: false, error: e, message: errorMessage(e) };
      }
      settings.value = data;
      return { ok: true, value: data };
    } catch (e) {
      const x = toApiError(e);
      return { ok: false, error: x, message: errorMessage(x) };
    }
  }

  return { settings, loading, failure, load, save };
}
