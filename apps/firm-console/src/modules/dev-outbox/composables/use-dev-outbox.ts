import { ref, type Ref } from 'vue';
import { errorMessage, type DevMail } from '@ledgerport/web/api-client';
import { api } from '../../../api';

const available = ref<boolean | null>(null);
let probe: Promise<void> | null = null;

/**
 * Whether this API keeps a development outbox: `GET /api/v1/dev/outbox` answers 200 only in
 * development without SMTP. Asked once per page load (again with `recheck`).
 */
export function useDevOutboxAvailability(): { available: Ref<boolean | null>; recheck: () => Promise<void> } {
  async function recheck(): Promise<void> {
    try {
      const { response } = await api.GET('/api/v1/dev/outbox', {
        params: { query: { to: 'probe@ledgerport.invalid' } },
      });
      available.value = response.status === 200;
    } catch {
      available.value = false;
    }
  }
  if (available.value !== true && !probe) {
    probe = recheck().finally(() => {
      probe = null;
    });
  }
  return { available, recheck };
}

export function useDevOutbox() {
  const mails = ref<DevMail[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const notAvailable = ref(false);

  async function load(to?: string): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const query = to?.trim() ? { to: to.trim() } : {};
      const { data, error: err, response } = await api.GET('/api/v1/dev/outbox', { params: { query } });
      if (data) {
        mails.value = data.items;
        notAvailable.value = false;
      } else if (response.status === 404) {
        notAvailable.value = true;
        mails.value = [];
      } else {
        error.value = errorMessage(err, response);
      }
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  return { mails, loading, error, notAvailable, load };
}
