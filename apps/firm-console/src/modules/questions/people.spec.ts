import { describe, expect, it } from '@jest/globals';
import { assigneeChoices, assigneeFilterChoices, type TeamPerson } from './people';

const ME = { id: 'u-ben', name: 'Ben Ortiz' };
const ACME = 'c-acme';

describe('assigneeChoices', () => {
  it('puts the signed-in person first, then the client’s staff by name', () => {
    expect(
      assigneeChoices(
        ME,
        ACME,
        [{ id: 'u-zoe', name: 'Zoe Park' }, ME, { id: 'u-al', name: 'Al Grey' }],
        null,
      ),
    ).toEqual([
      { value: 'u-ben', label: 'Ben Ortiz (you)' },
      { value: 'u-al', label: 'Al Grey' },
      { value: 'u-zoe', label: 'Zoe Park' },
    ]);
  });

  it('offers every active admin, and only the staff assigned to this client, from the team list', () => {
    const team: TeamPerson[] = [
      { id: 'u-olivia', name: 'Olivia Owner', role: 'admin', status: 'active', assignedClients: [] },
      { id: 'u-new', name: 'New Admin', role: 'admin', status: 'invited', assignedClients: [] },
      {
        id: 'u-ben',
        name: 'Ben Ortiz',
        role: 'staff',
        status: 'active',
        assignedClients: [{ id: ACME, name: 'Acme' }],
      },
      {
        id: 'u-cy',
        name: 'Cy Staff',
        role: 'staff',
        status: 'active',
        assignedClients: [{ id: 'c-birch', name: 'Birch' }],
      },
    ];
    const me = { id: 'u-olivia', name: 'Olivia Owner' };
    expect(assigneeChoices(me, ACME, [{ id: 'u-ben', name: 'Ben Ortiz' }], team)).toEqual([
      { value: 'u-olivia', label: 'Olivia Owner (you)' },
      { value: 'u-ben', label: 'Ben Ortiz' },
    ]);
  });
});

describe('assigneeFilterChoices', () => {
  it('offers anyone, me and nobody before the people, without repeating me', () => {
    expect(
      assigneeFilterChoices(ME, [ME, { id: 'u-olivia', name: 'Olivia Owner' }]).map((c) => c.label),
    ).toEqual(['Anyone', 'Assigned to me', 'Unassigned', 'Olivia Owner']);
  });
});
