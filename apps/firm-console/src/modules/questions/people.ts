/*
 * Who can follow a question up, as choices for the pickers. Pure, so the rules are specified beside
 * this file: the API accepts an admin for any client, and a staff member only for a client they
 * are assigned to; GET /team/assignable?clientId= names exactly those people, to every staff member.
 */

export interface PersonRef {
  id: string;
  name: string;
}

export interface Choice {
  value: string;
  label: string;
}

const byName = (a: PersonRef, b: PersonRef) => a.name.localeCompare(b.name);

/**
 * The people a question of one client may be assigned to: the signed-in person first ("Ben Ortiz
 * (you)"), then the rest by name. From GET /team/assignable?clientId= when it answered (the firm's
 * active admins and the client's active staff), else from the client's assigned staff.
 */
export function assigneeChoices(
  me: PersonRef,
  assignable: readonly PersonRef[] | null,
  assignedStaff: readonly PersonRef[],
): Choice[] {
  const others = new Map<string, PersonRef>();
  for (const p of assignable ?? assignedStaff) if (p.id !== me.id) others.set(p.id, p);
  return [
    { value: me.id, label: `${me.name} (you)` },
    ...[...others.values()].sort(byName).map((p) => ({ value: p.id, label: p.name })),
  ];
}

/**
 * The board's assignee filter: anyone, me, nobody, then each person the signed-in person knows of
 * (the teammates GET /team/assignable names, the staff assigned to their clients and whoever the
 * loaded questions name).
 */
export function assigneeFilterChoices(me: PersonRef, people: readonly PersonRef[]): Choice[] {
  const others = new Map<string, PersonRef>();
  for (const p of people) if (p.id !== me.id) others.set(p.id, p);
  return [
    { value: '', label: 'Anyone' },
    { value: 'me', label: 'Assigned to me' },
    { value: 'none', label: 'Unassigned' },
    ...[...others.values()].sort(byName).map((p) => ({ value: p.id, label: p.name })),
  ];
}
