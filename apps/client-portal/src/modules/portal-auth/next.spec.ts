import { describe, expect, it } from '@jest/globals';
import { nextFor, readNext } from './next';

// The router's part (does `next` name a signed-in page?) is proven in Chromium:
// e2e/portal-deep-links.e2e.ts. vue-router does not load under jest's CommonJS.
const at = (path: string) => ({ path });
const ID = '0b7c6a8e-3f51-4c1e-9d1a-2f8e4b6c7d90';

describe('where a portal sign-in continues (next)', () => {
  it('names a signed-in page by its path after the slug, and nothing for the home page', () => {
    expect(nextFor(at(`/northwind/questions/${ID}`), 'northwind')).toBe(`questions/${ID}`);
    expect(nextFor(at('/northwind/questions/'), 'northwind')).toBe('questions');
    expect(nextFor(at('/northwind/settings/email'), 'northwind')).toBe('settings/email');
    expect(nextFor(at('/northwind/home'), 'northwind')).toBeUndefined();
    expect(nextFor(at('/southgate/questions'), 'northwind')).toBeUndefined();
  });

  it('reads only a well-formed next from a query', () => {
    expect(readNext({ next: `questions/${ID}` })).toBe(`questions/${ID}`);
    expect(readNext({ next: ['questions', 'home'] })).toBe('questions');
    for (const bad of ['https://evil.test', '//evil.test', '/questions', 'a/../b', 'a//b', 'x'.repeat(201), '', null]) {
      expect(readNext({ next: bad })).toBeNull();
    }
    expect(readNext({})).toBeNull();
  });
});
