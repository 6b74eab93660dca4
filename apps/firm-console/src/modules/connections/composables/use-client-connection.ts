import { ref, watch, type Ref } from 'vue';
import { errorMessage, toApiError, type ApiError } from '@ledgerport/web/api-client';
import { api } from '../../../api';
import type { Connection, LedgerAccount, Provider } from '../types';

export type ConnectionResult<T> = { ok: true; value: T } | { ok: false; error: ApiError; message: string };

function fail<T>(error: unknown, response?: Response): ConnectionResult<T> {
  const e = toApiError(error, response);
  return { ok: false, error: e, message: errorMessage(e) };
}

/** Revokes the grant at the provider and removes the tokens (L5); the history stays. */
export async function disconnectClient(clientId: string): Promise<ConnectionResult<null>> {
  try {
    const { response, error } = await api.DELETE('/api/v1/clients/{clientId}/connection', {
      params: { path: { clientId } },
    });
    if (!response.ok) return fail(error, response);
    return { ok: true, value: null };
  } catch (e) {
    return fail(e);
  }
}

/**
 * One client's ledger connection (the tile, L2): the connection or null, the providers it could
 * connect to, Refresh, Disconnect, and the default accounts with the chart they are chosen from.
 */
export function useClientConnection(clientId: Ref<string>) {
  const connection = ref<Connection | null>(null);
  const providers = ref<Provider[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);

  const accounts = ref<LedgerAccount[]>([]);
  const accountsLoading = ref(false);
  const accountsLoaded = ref(false);
  const accountsError = ref<string | null>(null);

  let seq = 0;
  async function load(): Promise<Connection | null> {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const {
        data,
        error: err,
        response,
      } = await api.GET('/api/v1/clients/{clientId}/connection', {
        params: { path: { clientId: clientId.value } },
      });
      if (mine !== seq) return connection.value;
      if (!data) {
        error.value = errorMessage(err, response);
        return connection.value;
      }
      const previous = connection.value;
      connection.value = data.connection ?? null;
      providers.value = data.providers;
      loaded.value = true;
      // A new connection (or another provider) has another chart of accounts.
      if (!connection.value || previous?.id !== connection.value.id) resetAccounts();
      if (connection.value && !accountsLoaded.value) void loadAccounts();
      return connection.value;
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e);
      return connection.value;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function resetAccounts(): void {
    accounts.value = [];
    accountsLoaded.value = false;
    accountsError.value = null;
  }

  async function loadAccounts(): Promise<void> {
    accountsLoading.value = true;
    accountsError.value = null;
    try {
      const {
        data,
        error: err,
        response,
      } = await api.GET('/api/v1/clients/{clientId}/connection/accounts', {
        params: { path: { clientId: clientId.value } },
      });
      if (data) {
        accounts.value = data.items;
        accountsLoaded.value = true;
      } else accountsError.value = errorMessage(err, response);
    } catch (e) {
      accountsError.value = errorMessage(e);
    } finally {
      accountsLoading.value = false;
    }
  }

  /** Re-reads company details, classes and accounts at the provider ("Refresh"). */
  async function refresh(): Promise<ConnectionResult<Connection>> {
    try {
      const {
        data,
        error: err,
        response,
      } = await api.POST('/api/v1/clients/{clientId}/connection/refresh', {
        params: { path: { clientId: clientId.value } },
      });
      if (!data) {
        // The refresh may have found the grant revoked: show the tile as it now is.
        if (response.status !== 404) void load();
        else connection.value = null;
        return fail(err, response);
      }
      connection.value = data;
      void loadAccounts();
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    }
  }

  async function disconnect(): Promise<ConnectionResult<null>> {
    const result = await disconnectClient(clientId.value);
    if (result.ok || result.error.code === 'NO_CONNECTION') {
      connection.value = null;
      resetAccounts();
    }
    return result;
  }

  async function saveDefaultAccounts(body: {
    expense: string | null;
    income: string | null;
  }): Promise<ConnectionResult<Connection>> {
    try {
      const {
        data,
        error: err,
        response,
      } = await api.PUT('/api/v1/clients/{clientId}/connection/default-accounts', {
        params: { path: { clientId: clientId.value } },
        body,
      });
      if (!data) return fail(err, response);
      connection.value = data;
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    }
  }

  watch(
    clientId,
    () => {
      connection.value = null;
      providers.value = [];
      loaded.value = false;
      resetAccounts();
      void load();
    },
    { immediate: true },
  );

  return {
    connection,
    providers,
    loading,
    loaded,
    error,
    accounts,
    accountsLoading,
    accountsLoaded,
    accountsError,
    load,
    loadAccounts,
    refresh,
    disconnect,
    saveDefaultAccounts,
  };
}
