import { ref } from 'vue';
import {
  errorMessage,
  toApiError,
  type ApiError,
  type Role,
  type TeamMember,
} from '@ledgerport/web/api-client';
import { api } from '../../../api';

export type TeamResult<T> = { ok: true; value: T } | { ok: false; error: ApiError; message: string };

function fail<T>(error: unknown, response?: Response): TeamResult<T> {
  const e = toApiError(error, response);
  return { ok: false, error: e, message: errorMessage(e) };
}

export const ROLE_OPTIONS: Array<{ value: Role; label: string; description: string }> = [
  { value: 'staff', label: 'Staff', description: 'Sees only the clients assigned to them.' },
  { value: 'admin', label: 'Admin', description: 'Sees every client and manages the team.' },
];

/** The firm's team (admins only) and its writes. */
export function useTeam() {
  const members = ref<TeamMember[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const { data, error: err, response } = await api.GET('/api/v1/team');
      if (data) {
        members.value = data.items;
        loaded.value = true;
      } else error.value = errorMessage(err, response);
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  function replace(member: TeamMember): void {
    members.value = members.value.map((m) => (m.id === member.id ? member : m));
  }

  async function invite(body: { name: string; email: string; role: Role }): Promise<TeamResult<TeamMember>> {
    try {
      const { data, error: err, response } = await api.POST('/api/v1/team/invitations', { body });
      if (!data) return fail(err, response);
      members.value = [...members.value, data];
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    }
  }

  async function changeRole(member: TeamMember, role: Role): Promise<TeamResult<TeamMember>> {
    try {
      const {
        data,
        error: err,
        response,
      } = await api.PATCH('/api/v1/team/{userId}', {
        params: { path: { userId: member.id } },
        body: { role },
      });
      if (!data) return fail(err, response);
      replace(data);
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    }
  }

  async function resendInvitation(member: TeamMember): Promise<TeamResult<null>> {
    try {
      const { error: err, response } = await api.POST('/api/v1/team/{userId}/invitation', {
        params: { path: { userId: member.id } },
      });
      if (!response.ok) return fail(err, response);
      return { ok: true, value: null };
    } catch (e) {
      return fail(e);
    }
  }

  async function remove(member: TeamMember): Promise<TeamResult<null>> {
    try {
      const { error: err, response } = await api.DELETE('/api/v1/team/{userId}', {
        params: { path: { userId: member.id } },
      });
      if (!response.ok) return fail(err, response);
      members.value = members.value.filter((m) => m.id !== member.id);
      return { ok: true, value: null };
    } catch (e) {
      return fail(e);
    }
  }

  async function setClients(member: TeamMember, clientIds: string[]): Promise<TeamResult<TeamMember>> {
    try {
      const {
        data,
        error: err,
        response,
      } = await api.PUT('/api/v1/team/{userId}/clients', {
        params: { path: { userId: member.id } },
        body: { clientIds },
      });
      if (!data) return fail(err, response);
      replace(data);
      return { ok: true, value: data };
    } catch (e) {
      return fail(e);
    }
  }

  return { members, loading, loaded, error, load, invite, changeRole, resendInvitation, remove, setClients };
}
