import { describe, expect, it } from '@jest/globals';
import { assigneeChoices, assigneeFilterChoices } from './people';

const ME = { id: 'u-ben', name: 'Ben Ortiz' };

describe('assigneeChoices', () => {
  it('puts the signed-in person first, then the others by name, without repeating them', () => {
    const assignable = [
      { id: 'u-zoe', name: 'Zoe Park' },
      ME,
      { id: 'u-al', name: 'Al Grey' },
      { id: 'u-olivia', name: 'Olivia Owner' },
    ];
    expect(assigneeChoices(ME, assignable, [])).toEqual([
      { value: 'u-ben', label: 'Ben Ortiz (you)' },
      { value: 'u-al', label: 'Al Grey' },
      { value: 'u-olivia', label: 'Olivia Owner' },
      { value: 'u-zoe', label: 'Zoe Park' },
    ]);
  });

  it('offers exactly the people the API names for the client, not the rest of its assigned staff', () => {
    // Ivy is assigned to the client but has not set up her login: the API leaves her out.
    const assigned = [ME, { id: 'u-ivy', name: 'Ivy Invited' }];
    expect(assigneeChoices(ME, [ME, { id: 'u-olivia', name: 'Olivia Owner' }], assigned)).toEqual([
      { value: 'u-ben', label: 'Ben Ortiz (you)' },
      { value: 'u-olivia', label: 'Olivia Owner' },
    ]);
  });

  it('falls back to the client’s assigned staff when the list could not be loaded', () => {
    expect(assigneeChoices(ME, null, [{ id: 'u-zoe', name: 'Zoe Park' }, ME])).toEqual([
      { value: 'u-ben', label: 'Ben Ortiz (you)' },
      { value: 'u-zoe', label: 'Zoe Park' },
    ]);
  });

  it('offers only the signed-in person when nobody else can follow up', () => {
    expect(assigneeChoices(ME, [], [])).toEqual([{ value: 'u-ben', label: 'Ben Ortiz (you)' }]);
  });
});

describe('assigneeFilterChoices', () => {
  it('offers anyone, me and nobody before the people, without repeating me', () => {
    expect(
      assigneeFilterChoices(ME, [ME, { id: 'u-olivia', name: 'Olivia Owner' }]).map((c) => c.label),
    ).toEqual(['Anyone', 'Assigned to me', 'Unassigned', 'Olivia Owner']);
  });
});
