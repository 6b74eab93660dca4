import { ref } from 'vue';
import {
  errorMessage,
  toApiError,
  type ApiError,
  type SuccessBody,
  type paths,
} from '@ledgerport/web/api-client';
import { api } from '../../../api';

/** When the signed-in staff member hears that a client answered (Q9). */
export type NoticeSettings = SuccessBody<paths['/api/v1/account/notification-settings']['get']>;
export type AnswerEmails = NoticeSettings['answerEmails'];
export type NoticeSettingsResult<T> =
  { ok: true; value: T } | { ok: false; error: ApiError; message: string };

/** The choices, in the words the page shows. */
export const ANSWER_EMAIL_OPTIONS: ReadonlyArray<{
  value: AnswerEmails;
  label: string;
  description: string;
}> = [
  {
    value: 'immediately',
    label: 'At once',
    description: 'An email as soon as a client answers. Answers that come in together share one email.',
  },
  {
    value: 'daily',
    label: 'Once a day',
    description: 'One summary a day of the answers that came in.',
  },
  {
    value: 'off',
    label: 'Off',
    description: 'No emails. Answers still show on the Questions board.',
  },
];

/** "at once" / "once a day" / "off": the choice in a sentence. */
export function answerEmailsWords(value: AnswerEmails): string {
  return { immediately: 'at once', daily: 'once a day', off: 'off' }[value];
}

/** The signed-in person's own email notifications: everyone on the team may read and change theirs. */
export function useNoticeSettings() {
  const settings = ref<NoticeSettings | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const { data, error: err, response } = await api.GET('/api/v1/account/notification-settings');
      if (data) settings.value = data;
      else error.value = errorMessage(err, response);
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  async function save(body: NoticeSettings): Promise<NoticeSettingsResult<NoticeSettings>> {
    try {
      const { data, error: err, response } = await api.PUT('/api/v1/account/notification-settings', { body });
      if (!data) {
        const e = toApiError(err, response);
        return { ok: false, error: e, message: errorMessage(e) };
      }
      settings.value = data;
      return { ok: true, value: data };
    } catch (e) {
      const x = toApiError(e);
      return { ok: false, error: x, message: errorMessage(x) };
    }
  }

  return { settings, loading, error, load, save };
}
