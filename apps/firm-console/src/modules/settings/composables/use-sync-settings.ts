import { ref } from 'vue';
import {
  errorMessage,
  toApiError,
  type ApiError,
  type SuccessBody,
  type paths,
} from '@ledgerport/web/api-client';
import { api } from '../../../api';

export type SyncSettings = SuccessBody<paths['/api/v1/firm/sync-settings']['get']>;
export type SyncSettingsResult<T> = { ok: true; value: T } | { ok: false; error: ApiError; message: string };

/** What the API accepts for the interval, in minutes. */
export const MIN_INTERVAL = 5;
export const MAX_INTERVAL = 1440;

/** The common choices; any whole number of minutes in range can be entered too. */
export const INTERVAL_PRESETS: ReadonlyArray<{ minutes: number; label: string }> = [
  { minutes: 15, label: '15 minutes' },
  { minutes: 30, label: '30 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 240, label: '4 hours' },
  { minutes: 720, label: '12 hours' },
  { minutes: 1440, label: '24 hours' },
];

/** The firm's sync schedule: everyone on the team may read it, admins change it. */
export function useSyncSettings() {
  const settings = ref<SyncSettings | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const { data, error: err, response } = await api.GET('/api/v1/firm/sync-settings');
      if (data) settings.value = data;
      else error.value = errorMessage(err, response);
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  async function save(intervalMinutes: number): Promise<SyncSettingsResult<SyncSettings>> {
    try {
      const {
        data,
        error: err,
        response,
      } = await api.PUT('/api/v1/firm/sync-settings', {
        body: { intervalMinutes },
      });
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
