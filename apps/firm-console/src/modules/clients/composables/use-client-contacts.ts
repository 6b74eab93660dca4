import { computed, ref, watch, type Ref } from 'vue';
import {
  errorMessage,
  toApiError,
  type ApiError,
  type RequestBody,
  type SuccessBody,
  type paths,
} from '@ledgerport/web/api-client';
import { api } from '../../../api';

/** A person at the client business who can sign in to the firm's client portal. */
export type Contact = SuccessBody<paths['/api/v1/clients/{clientId}/contacts']['get']>['items'][number];
export type ContactRole = Contact['role'];
export type ContactStatus = Contact['status'];
type InviteBody = RequestBody<paths['/api/v1/clients/{clientId}/contacts']['post']>;
type UpdateBody = RequestBody<paths['/api/v1/clients/{clientId}/contacts/{contactId}']['patch']>;
// The generated schema types `title` as an object (the DTO lacks an explicit `type: String`); it is a string.
export type ContactInvite = Omit<InviteBody, 'title'> & { title?: string | null };
export type ContactUpdate = Omit<UpdateBody, 'title'> & { title?: string | null };

export type ContactResult<T> = { ok: true; value: T } | { ok: false; error: ApiError; message: string };

function fail<T>(error: unknown, response?: Response): ContactResult<T> {
  const e = toApiError(error, response);
  return { ok: false, error: e, message: errorMessage(e) };
}

export const CONTACT_ROLE_OPTIONS: Array<{ value: ContactRole; label: string; description: string }> = [
  {
    value: 'member',
    label: 'Member',
    description: 'Uses the portal: answers questions, sees what your firm shares.',
  },
  {
    value: 'owner',
    label: 'Business owner',
    description: 'Can also give other bookkeeping firms access to this business.',
  },
];

const STATUS_ORDER: Record<ContactStatus, number> = { active: 0, invited: 1, deactivated: 2 };

/** The portal users (contacts) of one client, and the writes any staff member who can open it may make. */
export function useClientContacts(clientId: Ref<string>) {
  const contacts = ref<Contact[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);

  /** Primary contact first, then active, invited and deactivated people, each by name. */
  const sorted = computed(() =>
    [...contacts.value].sort((a, b) => {
      if (a.primary !== b.primary) return a.primary ? -1 : 1;
      if (a.status !== b.status) return STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
      return a.name.localeCompare(b.name);
    }),
  );

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const {
        data,
        error: err,
        response,
      } = await api.GET('/api/v1/clients/{clientId}/contacts', {
        params: { path: { clientId: clientId.value } },
      });
      if (data) {
        contacts.value = data.items;
        loaded.value = true;
      } else error.value = errorMessage(err, response);
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  /** Puts the answer in place; making someone primary un-primaries everyone else. */
  function replace(contact: Contact): void {
    contacts.value = contacts.value.map((c) => {
      if (c.id === contact.id) return contact;
      return contact.primary && c.primary ? { ...c, primary: false } : c;
    });
  }

  async function invite(body: ContactInvite): Promise<ContactResult<Contact>> {
    try {
      const {
        data,
        error: err,
        response,
      } = await api.POST('/api/v1/clients/{clientId}/contacts', {
        params: { path: { clientId: clientId.value } },
        body: body as InviteBody,
      });
      if (!data) return fail(err, response);
      contacts.value = [...contacts.value.filter((c) => c.id !== data.id), data];
      if (data.primary) replace(data);
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    }
  }

  async function update(contact: Contact, body: ContactUpdate): Promise<ContactResult<Contact>> {
    try {
      const {
        data,
        error: err,
        response,
      } = await api.PATCH('/api/v1/clients/{clientId}/contacts/{contactId}', {
        params: { path: { clientId: clientId.value, contactId: contact.id } },
        body: body as UpdateBody,
      });
      if (!data) return fail(err, response);
      replace(data);
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    }
  }

  /** The three one-click actions on a portal user; each answers the updated contact. */
  async function act(
    contact: Contact,
    action: 'deactivate' | 'reactivate' | 'resend-invitation',
  ): Promise<ContactResult<Contact>> {
    try {
      const {
        data,
        error: err,
        response,
      } = await api.POST(`/api/v1/clients/{clientId}/contacts/{contactId}/${action}`, {
        params: { path: { clientId: clientId.value, contactId: contact.id } },
      });
      if (!data) return fail(err, response);
      replace(data);
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    }
  }

  const deactivate = (contact: Contact) => act(contact, 'deactivate');
  const reactivate = (contact: Contact) => act(contact, 'reactivate');
  const resendInvitation = (contact: Contact) => act(contact, 'resend-invitation');

  watch(
    clientId,
    () => {
      contacts.value = [];
      loaded.value = false;
      void load();
    },
    { immediate: true },
  );

  return {
    contacts,
    sorted,
    loading,
    loaded,
    error,
    load,
    invite,
    update,
    deactivate,
    reactivate,
    resendInvitation,
  };
}
