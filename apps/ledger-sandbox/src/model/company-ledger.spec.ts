import { loadSandboxConfig } from '../config';
import { Companies } from './companies';

const config = loadSandboxConfig({ SANDBOX_TODAY: '2026-11-23', SANDBOX_SEED: 'spec', SANDBOX_TRANSACTIONS: '1000' });

describe('sandbox ledger generator', () => {
  it('is deterministic: the same seed gives the same companies and transactions', () => {
    const a = new Companies(config).list();
    const b = new Companies(config).list();
    expect(a.map((c) => c.def.id)).toEqual(b.map((c) => c.def.id));
    for (const i of [0, 1, 500, 999]) expect(a[0].txn(i)).toEqual(b[0].txn(i));
  });

  it('dates transactions in index order over the 24 months before "today"', () => {
    const acme = new Companies(config).list('qbo')[0];
    const dates = Array.from({ length: acme.count }, (_, i) => acme.txn(i)!.date);
    expect([...dates].sort()).toEqual(dates);
    expect(dates[0] >= '2024-11-23').toBe(true);
    expect(dates[dates.length - 1] < '2026-11-23').toBe(true);
    expect(acme.firstIndexOnOrAfter('2025-11-23')).toBeGreaterThan(400);
  });

  it('balances money in integer cents and flags a share of lines uncategorized', () => {
    const acme = new Companies(config).list('qbo')[0];
    const all = Array.from({ length: acme.count }, (_, i) => acme.txn(i)!);
    for (const t of all) {
      expect(Number.isInteger(t.totalMinor)).toBe(true);
      if (t.kind === 'journal') {
        const debit = t.lines.filter((l) => l.posting === 'debit').reduce((s, l) => s + l.amountMinor, 0);
        const credit = t.lines.filter((l) => l.posting === 'credit').reduce((s, l) => s + l.amountMinor, 0);
        expect(debit).toBe(credit);
      }
    }
    const spendLines = all.filter((t) => t.kind === 'spend').flatMap((t) => t.lines);
    const unc = spendLines.filter((l) => acme.account(l.accountId)?.uncategorized).length / spendLines.length;
    // Acme is set to ~5 % uncategorized.
    expect(unc).toBeGreaterThan(0.02);
    expect(unc).toBeLessThan(0.1);
  });

  it('keeps edits, deletions and additions in an overlay with a change log and SyncTokens', () => {
    let now = Date.parse('2026-11-23T10:00:00Z');
    const acme = new Companies(config, () => now).list('qbo')[0];
    const t = acme.txn(5)!;
    now += 1000;
    const edited = acme.update(t.id, { memo: 'edited' }, 0)!;
    expect(edited.syncToken).toBe(1);
    expect(() => acme.update(t.id, { memo: 'again' }, 0)).toThrow(/SyncToken/);
    const made = acme.create({ kind: 'spend', date: '2026-11-22', lines: [{ accountId: acme.accounts[20].id, classId: null, amountMinor: 1234, description: 'x' }] });
    expect(acme.txnById(made.id)).toEqual(made);
    expect(acme.remove(made.id)!.deleted).toBe(true);
    expect(acme.changesSince('2026-11-23T09:00:00Z').map((c) => c.operation)).toEqual(['Update', 'Create', 'Delete']);
    expect(acme.indicesOf(['spend'])).toContain(made.index);
  });

  it("gives Birch (Xero) two tracking categories, and lines an option of each; others keep one class list", () => {
    const companies = new Companies(config);
    const birch = companies.list('xero').find((c) => c.def.name === 'Birch Dental Studio')!;
    expect(birch.trackingCategories).toEqual(['Department', 'Location']);
    expect(birch.classesOf(0).map((c) => c.name)).toEqual(['Hygiene', 'Orthodontics', 'Surgery']);
    expect(birch.classesOf(1).map((c) => c.name)).toEqual(['Downtown', 'Uptown']);
    const lines = Array.from({ length: birch.count }, (_, i) => birch.txn(i)!).flatMap((t) => t.lines);
    const dept = new Set(birch.classesOf(0).map((c) => c.id));
    const loc = new Set(birch.classesOf(1).map((c) => c.id));
    for (const l of lines) {
      if (l.classId) expect(dept.has(l.classId)).toBe(true);
      if (l.classId2) expect(loc.has(l.classId2)).toBe(true);
    }
    expect(lines.some((l) => l.classId && l.classId2)).toBe(true);
    // One category: no second option, no category on the classes (QuickBooks and other Xero companies).
    for (const c of companies.list().filter((x) => x !== birch)) {
      expect(c.trackingCategories).toEqual(['Department']);
      expect(c.classesOf(1)).toEqual([]);
      expect(c.classes.every((k) => k.category === undefined)).toBe(true);
      for (let i = 0; i < Math.min(c.count, 300); i++) for (const l of c.txn(i)!.lines) expect('classId2' in l).toBe(false);
    }
  });

  it('holds 200,000 transactions without generating them up front', () => {
    const companies = new Companies(config);
    const big = companies.add({ provider: 'xero', name: 'Big', legalName: 'Big Ltd', country: 'US', currency: 'USD', edition: 'STANDARD', classTracking: 'per_line', classShare: 0.5, transactions: 200_000, uncategorizedShare: 0.1 });
    const spends = big.indicesOf(['spend']);
    expect(spends.length).toBeGreaterThan(100_000);
    expect(big.txnById(big.txn(199_999)!.id)!.index).toBe(199_999);
  });
});
