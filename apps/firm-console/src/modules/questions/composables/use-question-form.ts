import { ref, watch, type Ref } from 'vue';
import { fieldErrors, type ApiError } from '@ledgerport/web/api-client';
import type { Choice } from '../people';
import type { AskBody } from '../types';

/*
 * What the ask, bulk-ask and edit dialogs share besides their form (QuestionForm.vue): the details
 * every question has, their defaults, and how the API's refusals land on the fields.
 */

/** The details every question shares: categories to offer, who is asked, when it is due, who follows it up. */
export interface AskOptionsModel {
  categoryOptionIds: string[];
  contactId: string;
  /** null: nobody follows it up (only when editing). */
  assigneeUserId: string | null;
  /** YYYY-MM-DD or "". */
  dueOn: string;
}

/** The fields of a question form that can show an error of their own. */
export type QuestionField = 'client' | 'text' | 'contact' | 'dueOn' | 'categories' | 'assignee';
export type QuestionFieldErrors = Partial<Record<QuestionField, string | null>>;

/**
 * A refusal of the questions API, on the fields it is about: the API's per-field details first,
 * then what its codes name (the portal user or the follow-up who cannot be chosen, categories not
 * in the client's chart). `message` is the sentence already made of the error.
 */
export function questionFieldErrors(error: ApiError, message: string): QuestionFieldErrors {
  const f = fieldErrors(error);
  return {
    text: f['text'] ?? null,
    contact: f['contactId'] ?? (error.code === 'CONTACT_NOT_FOUND' ? message : null),
    dueOn: f['dueOn'] ?? null,
    categories:
      Object.entries(f).find(([k]) => k.startsWith('categoryOptionIds'))?.[1] ??
      (error.code === 'CATEGORY_NOT_FOUND' ? message : null),
    assignee: f['assigneeUserId'] ?? (error.code === 'ASSIGNEE_NOT_FOUND' ? message : null),
  };
}

/** What must be there before asking: the question's words and the portal user asked. */
export function askProblems(text: string, fields: AskOptionsModel): QuestionFieldErrors | null {
  if (!text.trim()) return { text: 'Write the question.' };
  if (!fields.contactId) return { contact: 'Choose who to ask.' };
  return null;
}

type AskOptionsPart = Pick<AskBody, 'contactId' | 'categoryOptionIds' | 'assigneeUserId' | 'dueOn'>;

/**
 * The details of a new question (one, or many at once) as the API takes them: only what differs
 * from its defaults. The primary contact is the API's default (see contactValue).
 */
export function askOptionsBody(
  fields: AskOptionsModel,
  primaryContactId: string,
  opts: { categories: boolean },
): AskOptionsPart {
  const body: AskOptionsPart = {};
  if (fields.contactId !== primaryContactId) body.contactId = fields.contactId;
  if (opts.categories && fields.categoryOptionIds.length) body.categoryOptionIds = fields.categoryOptionIds;
  if (fields.assigneeUserId) body.assigneeUserId = fields.assigneeUserId;
  if (fields.dueOn) body.dueOn = fields.dueOn;
  return body;
}

/**
 * The details of a question about to be asked, starting from the defaults: the client's primary
 * portal user, and the asker as follow-up. Both arrive with the options, after the dialog opens,
 * and fill the fields still empty then.
 */
export function useAskFields(options: {
  primaryContactId: Readonly<Ref<string>>;
  assignees: Readonly<Ref<Choice[]>>;
}) {
  const fields = ref<AskOptionsModel>(defaults());

  function defaults(): AskOptionsModel {
    return {
      categoryOptionIds: [],
      contactId: options.primaryContactId.value,
      assigneeUserId: options.assignees.value[0]?.value ?? null,
      dueOn: '',
    };
  }

  watch(
    () => [options.primaryContactId.value, options.assignees.value[0]?.value] as const,
    ([contact, me]) => {
      if (!fields.value.contactId && contact) fields.value = { ...fields.value, contactId: contact };
      if (!fields.value.assigneeUserId && me) fields.value = { ...fields.value, assigneeUserId: me };
    },
  );

  return {
    fields,
    /** Back to the defaults (when the dialog opens again). */
    reset: () => {
      fields.value = defaults();
    },
  };
}
