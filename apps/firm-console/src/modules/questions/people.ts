/*
 * Who can follow a question up, as choices for the pickers. Pure, so the rules are specified beside
 * this file: the API accepts an admin for any client, and a staff member only for a client they
 * are assigned to; staff cannot list the team, so they choose among what they can see.
 */

export interface PersonRef {
  id: string;
  name: string;
}

export interface TeamPerson extends PersonRef {
  role: 'admin' | 'staff';
  status: 'invited' | 'active';
  assignedClients: PersonRef[];
}

export interface Choice {
  value: string;
  label: string;
}

const byName = (a: PersonRef, b: PersonRef) => a.name.localeCompare(b.name);

/**
 * The people a question of one client may be assigned to: the signed-in person first ("Ben Ortiz
 * (you)"), then the rest by name. From the team list when it is known (admins of the firm and
 * staff assigned to the client), else from the client's assigned staff.
 */
export function assigneeChoices(
  me: PersonRef,
  clientId: string,
  assignedStaff: readonly PersonRef[],
  team: readonly TeamPerson[] | null,
): Choice[] {
  const others = new Map<string, PersonRef>();
  if (team) {
    for (const p of team) {
      if (p.status !== 'active' || p.id === me.id) continue;
      if (p.role === 'admin' || p.assignedClients.some((c) => c.id === clientId)) others.set(p.id, p);
    }
  }
  for (const p of assignedStaff) if (p.id !== me.id && !others.has(p.id)) others.set(p.id, p);
  return [
    { value: me.id, label: `${me.name} (you)` },
    ...[...others.values()].sort(byName).map((p) => ({ value: p.id, label: p.name })),
  ];
}

/**
 * The board's assignee filter: anyone, me, nobody, then each person the signed-in person knows of
 * (the team for admins; for staff, the staff assigned to their clients and whoever the loaded
 * questions name).
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
