import { slugify } from './slug';

describe('slugify', () => {
  it('makes a readable URL part of a firm name', () => {
    expect(slugify('Northwind Bookkeeping')).toBe('northwind-bookkeeping');
    expect(slugify('  Smith & Jones, LLC ')).toBe('smith-and-jones-llc');
    expect(slugify('Café Comptabilité')).toBe('cafe-comptabilite');
  });
  it('never returns an empty slug', () => {
    expect(slugify('!!!')).toBe('firm');
    expect(slugify('会計事務所')).toBe('firm');
  });
  it('keeps slugs short', () => {
    expect(slugify('a'.repeat(200)).length).toBeLessThanOrEqual(48);
  });
});
