import { useToast } from 'primevue/usetoast';
import {
  errorMessage,
  toApiError,
  type ApiError,
  type Client,
  type ClientUpdate,
} from '@ledgerport/web/api-client';
import { api } from '../../../api';
import { useClientDirectoryStore } from '../../../stores/clients';

export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: ApiError; message: string };

function fail<T>(error: unknown, response?: Response): ActionResult<T> {
  const e = toApiError(error, response);
  return { ok: false, error: e, message: errorMessage(e) };
}

/** Client writes shared by the list and the client page; they refresh the client switcher too. */
export function useClientActions() {
  const toast = useToast();
  const directory = useClientDirectoryStore();

  function toastError(message: string): void {
    toast.add({ severity: 'error', summary: 'That didn’t work', detail: message, life: 7000 });
  }

  async function create(name: string, practiceManagerRef?: string): Promise<ActionResult<Client>> {
    try {
      const { data, error, response } = await api.POST('/api/v1/clients', {
        body: { name, ...(practiceManagerRef ? { practiceManagerRef } : {}) },
      });
      if (!data) return fail(error, response);
      void directory.refresh();
      toast.add({
        severity: 'success',
        summary: 'Client created',
        detail: `${data.name} was added.`,
        life: 4000,
      });
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    }
  }

  async function update(id: string, body: ClientUpdate): Promise<ActionResult<Client>> {
    try {
      const { data, error, response } = await api.PATCH('/api/v1/clients/{id}', {
        params: { path: { id } },
        body,
      });
      if (!data) return fail(error, response);
      if (body.name !== undefined) void directory.refresh();
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    }
  }

  /** Archive and restore differ only in the endpoint and the words of the toast. */
  async function setArchived(client: Client, archived: boolean): Promise<ActionResult<Client>> {
    try {
      const { data, error, response } = archived
        ? await api.POST('/api/v1/clients/{id}/archive', { params: { path: { id: client.id } } })
        : await api.POST('/api/v1/clients/{id}/restore', { params: { path: { id: client.id } } });
      if (!data) {
        const r = fail<Client>(error, response);
        if (!r.ok) toastError(r.message);
        return r;
      }
      void directory.refresh();
      toast.add({
        severity: 'success',
        summary: archived ? 'Client archived' : 'Client restored',
        detail: archived
          ? `${data.name} is archived. You can restore it from the Archived list.`
          : `${data.name} is active again.`,
        life: archived ? 5000 : 4000,
      });
      return { ok: true, value: data };
    } catch (e) {
      const r = fail<Client>(e);
      if (!r.ok) toastError(r.message);
      return r;
    }
  }

  const archive = (client: Client) => setArchived(client, true);
  const restore = (client: Client) => setArchived(client, false);

  async function remove(
    client: Pick<Client, 'id' | 'name'>,
    confirmName: string,
  ): Promise<ActionResult<null>> {
    try {
      const { response, error } = await api.DELETE('/api/v1/clients/{id}', {
        params: { path: { id: client.id }, query: { confirmName } },
      });
      if (!response.ok) return fail(error, response);
      void directory.refresh();
      toast.add({
        severity: 'success',
        summary: 'Client deleted',
        detail: `${client.name} was deleted.`,
        life: 4000,
      });
      return { ok: true, value: null };
    } catch (e) {
      return fail(e);
    }
  }

  async function setStaff(id: string, userIds: string[]): Promise<ActionResult<Client>> {
    try {
      const { data, error, response } = await api.PUT('/api/v1/clients/{id}/staff', {
        params: { path: { id } },
        body: { userIds },
      });
      if (!data) return fail(error, response);
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    }
  }

  return { create, update, archive, restore, remove, setStaff, toastError };
}
