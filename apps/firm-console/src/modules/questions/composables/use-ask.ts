import { computed, ref, watch, type Ref } from 'vue';
import { errorMessage, toApiError, type Client } from '@ledgerport/web/api-client';
import { api } from '../../../api';
import { useSessionStore } from '../../../stores/session';
import type { Contact } from '../../clients/composables/use-client-contacts';
import type { ReviewAccount } from '../../sync/types';
import { assigneeChoices, type Choice } from '../people';
import type { AskBody, Assignable, BulkAskBody, Question } from '../types';
import type { QuestionResult } from './use-question';

/** An account the client may be offered as a category. */
export interface CategoryChoice {
  id: string;
  name: string;
  /** "Meals & Entertainment (6400)" */
  label: string;
  type: string;
}

/** At most this many categories may be offered with a question. */
export const MAX_CATEGORIES = 10;
export const DEFAULT_QUESTION = 'What was this for?';
/** The longest question the API takes. */
export const MAX_QUESTION_TEXT = 2000;

/**
 * The id a question names its contact by. Questions speak of the person (the portal contact),
 * while GET /clients/:id/contacts answers the person's place at this client; once that answer
 * carries `contactId` too it is used, else the place's id (which the API refuses today, so the
 * dialogs leave the primary contact to the API's default instead of naming them).
 */
export function contactValue(c: Pick<Contact, 'id'> & { contactId?: string }): string {
  return c.contactId ?? c.id;
}

/** Accounts that can be offered: active ones not themselves marked "needs review". */
export function categoryChoices(accounts: readonly ReviewAccount[]): CategoryChoice[] {
  return accounts
    .filter((a) => a.active && !a.needsReview)
    .map((a) => ({ id: a.id, name: a.name, label: a.code ? `${a.name} (${a.code})` : a.name, type: a.type }))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}

/**
 * What asking a client needs (Q1, Q2, Q8): the client's portal users (the primary one first, as
 * the default), the accounts of its chart to offer as categories, and who may follow it up (the
 * people who can see the client, from GET /team/assignable, which every staff member may call).
 * Loaded together when a dialog opens; each part fails on its own, in plain words.
 */
export function useAskOptions(clientId: Ref<string>) {
  const session = useSessionStore();
  const contacts = ref<Contact[]>([]);
  const accounts = ref<ReviewAccount[]>([]);
  const client = ref<Client | null>(null);
  /** Who may follow a question of this client up (null: not known, see assigneeChoices). */
  const assignable = ref<Assignable[] | null>(null);
  const loading = ref(false);
  const loaded = ref(false);
  /** The chart is unknown: the client has no ledger connected (or it was never synced). */
  const noChart = ref(false);
  const error = ref<string | null>(null);

  let seq = 0;
  async function load(): Promise<void> {
    const id = clientId.value;
    if (!id) return;
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    const problems: string[] = [];
    try {
      const [people, chart, info, team] = await Promise.all([
        api.GET('/api/v1/clients/{clientId}/contacts', { params: { path: { clientId: id } } }),
        api.GET('/api/v1/clients/{clientId}/review-accounts', { params: { path: { clientId: id } } }),
        api.GET('/api/v1/clients/{id}', { params: { path: { id } } }),
        api.GET('/api/v1/team/assignable', { params: { query: { clientId: id } } }),
      ]);
      if (mine !== seq) return;
      if (people.data) contacts.value = people.data.items;
      else problems.push(errorMessage(people.error, people.response));
      if (chart.data) {
        accounts.value = chart.data.items;
        noChart.value = chart.data.items.length === 0;
      } else if (chart.response.status === 404) {
        accounts.value = [];
        noChart.value = true;
      } else problems.push(errorMessage(chart.error, chart.response));
      if (info.data) client.value = info.data;
      assignable.value = team.data?.items ?? null;
      loaded.value = true;
    } catch (e) {
      if (mine === seq) problems.push(errorMessage(e));
    } finally {
      if (mine === seq) {
        loading.value = false;
        error.value = problems[0] ?? null;
      }
    }
  }

  watch(clientId, () => {
    seq++;
    contacts.value = [];
    accounts.value = [];
    client.value = null;
    assignable.value = null;
    loaded.value = false;
    noChart.value = false;
  });

  /**
   * Portal users who can be asked (not deactivated), in the API's order of preference: the
   * primary one first (the default), then those who have signed in, then by invitation.
   */
  const askable = computed(() =>
    contacts.value
      .filter((c) => c.status !== 'deactivated')
      .sort((a, b) => {
        if (a.primary !== b.primary) return a.primary ? -1 : 1;
        if ((a.status === 'active') !== (b.status === 'active')) return a.status === 'active' ? -1 : 1;
        return a.invitedAt.localeCompare(b.invitedAt);
      }),
  );
  const contactChoices = computed<Choice[]>(() =>
    askable.value.map((c) => ({
      value: contactValue(c),
      label: `${c.name}${c.primary ? ' (primary)' : ''}`,
    })),
  );
  const primaryContactId = computed(() => (askable.value[0] ? contactValue(askable.value[0]) : ''));
  const categories = computed(() => categoryChoices(accounts.value));
  const assignees = computed<Choice[]>(() => {
    const me = session.user;
    if (!me) return [];
    return assigneeChoices(me, assignable.value, client.value?.assignedStaff ?? []);
  });

  return {
    contacts: askable,
    contactChoices,
    primaryContactId,
    categories,
    assignees,
    client,
    loading,
    loaded,
    noChart,
    error,
    load,
  };
}

/** Asks one question (about a transaction, or not). */
export async function askQuestion(clientId: string, body: AskBody): Promise<QuestionResult<Question>> {
  try {
    const { data, error, response } = await api.POST('/api/v1/clients/{clientId}/questions', {
      params: { path: { clientId } },
      body,
    });
    if (data) return { ok: true, value: data };
    const e = toApiError(error, response);
    return { ok: false, error: e, message: errorMessage(e) };
  } catch (e) {
    const err = toApiError(e);
    return { ok: false, error: err, message: errorMessage(err) };
  }
}

/** Asks about many transactions at once (Q8): all are asked, or none. */
export async function askInBulk(clientId: string, body: BulkAskBody): Promise<QuestionResult<Question[]>> {
  try {
    const { data, error, response } = await api.POST('/api/v1/clients/{clientId}/questions/bulk', {
      params: { path: { clientId } },
      body,
    });
    if (data) return { ok: true, value: data.items };
    const e = toApiError(error, response);
    return { ok: false, error: e, message: errorMessage(e) };
  } catch (e) {
    const err = toApiError(e);
    return { ok: false, error: err, message: errorMessage(err) };
  }
}
