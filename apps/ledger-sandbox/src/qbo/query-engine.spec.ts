import { loadSandboxConfig } from '../config';
import { Companies } from '../model/companies';
import type { CompanyLedger } from '../model/company-ledger';
import { KIND_OF_ENTITY, type QboObject, QboRenderer, type TxnEntity } from './entities';
import { QboFault } from './errors';
import { matches, runQuery, validateQuery } from './query-engine';

const config = loadSandboxConfig({
  SANDBOX_TODAY: '2026-11-23',
  SANDBOX_SEED: 'qbo-spec',
  SANDBOX_TRANSACTIONS: '100',
});
const NOW = Date.parse('2026-11-23T12:00:00Z');

function company(transactions: number): { ledger: CompanyLedger; render: QboRenderer } {
  let now = NOW;
  const companies = new Companies(config, () => (now += 1000));
  const ledger = companies.add({
    provider: 'qbo',
    name: 'Spec Co',
    legalName: 'Spec Co LLC',
    country: 'US',
    currency: 'USD',
    edition: 'QuickBooks Online Plus',
    classTracking: 'per_line',
    classShare: 0.5,
    transactions,
    uncategorizedShare: 0.1,
  });
  return { ledger, render: new QboRenderer(ledger) };
}

/** The obvious implementation: render every live transaction of the kind, filter, sort, slice. */
function naive(ledger: CompanyLedger, render: QboRenderer, src: string): QboObject[] {
  const q = validateQuery(src);
  const kind = KIND_OF_ENTITY[q.entity as TxnEntity];
  const all = ledger
    .indicesOf([kind])
    .map((i) => ledger.txn(i)!)
    .filter((t) => !t.deleted)
    .map((t) => render.txn(t))
    .filter((o) => matches(o, q.where));
  const key = (o: QboObject, f: string) =>
    f === 'Id'
      ? Number(o.Id)
      : f === 'TxnDate'
        ? o.TxnDate
        : Date.parse(f === 'MetaData.CreateTime' ? o.MetaData.CreateTime : o.MetaData.LastUpdatedTime);
  const order = q.orderBy[0] ?? { field: 'Id', desc: false };
  all.sort((a, b) => {
    const ka = key(a, order.field);
    const kb = key(b, order.field);
    const c = ka < kb ? -1 : ka > kb ? 1 : Number(a.Id) - Number(b.Id);
    return order.desc ? -c : c;
  });
  return all.slice(q.start - 1, q.start - 1 + q.max);
}

const ids = (r: { QueryResponse: QboObject }, entity: string) =>
  ((r.QueryResponse[entity] as QboObject[] | undefined) ?? []).map((o) => o.Id);

describe('QuickBooks query engine', () => {
  const { ledger, render } = company(3000);
  // Edits that break the "date grows with the index" shortcut, deletions and additions.
  const purchases = ledger.indicesOf(['spend']);
  const moved = ledger.txn(purchases[10])!;
  ledger.update(moved.id, { date: '2026-11-20' });
  const movedBack = ledger.txn(purchases[purchases.length - 5])!;
  ledger.update(movedBack.id, { date: '2024-12-01' });
  const memoOnly = ledger.txn(purchases[700])!;
  ledger.update(memoOnly.id, { memo: 'edited' });
  ledger.remove(ledger.txn(purchases[20])!.id);
  ledger.remove(ledger.txn(purchases[1200])!.id);
  const bank = ledger.accounts.find((a) => a.kind === 'bank')!;
  const expense = ledger.accounts.find((a) => a.kind === 'expense')!;
  const added = ledger.create({
    kind: 'spend',
    date: '2025-06-15',
    bankAccountId: bank.id,
    lines: [{ accountId: expense.id, classId: null, amountMinor: 1234, description: 'added' }],
  });

  it.each([
    'SELECT * FROM Purchase MAXRESULTS 1000',
    'SELECT * FROM Purchase STARTPOSITION 1001 MAXRESULTS 1000',
    'SELECT * FROM Purchase STARTPOSITION 12 MAXRESULTS 7',
    "SELECT * FROM Purchase WHERE TxnDate >= '2025-06-01' AND TxnDate <= '2025-06-30' MAXRESULTS 1000",
    "SELECT * FROM Purchase WHERE TxnDate > '2026-10-01' ORDERBY TxnDate DESC MAXRESULTS 50",
    "SELECT * FROM Purchase WHERE TxnDate < '2025-01-01' ORDERBY TxnDate MAXRESULTS 1000",
    "SELECT * FROM Purchase WHERE TxnDate = '2025-06-15'",
    'SELECT * FROM Purchase ORDERBY Id DESC STARTPOSITION 3 MAXRESULTS 20',
    "SELECT * FROM Purchase WHERE MetaData.LastUpdatedTime > '2026-11-01T00:00:00Z' ORDERBY MetaData.LastUpdatedTime MAXRESULTS 1000",
    "SELECT * FROM Purchase WHERE MetaData.CreateTime >= '2026-03-01T10:00:00-08:00' AND MetaData.CreateTime < '2026-04-01' MAXRESULTS 1000",
    "SELECT * FROM Purchase WHERE Id > '10500' AND Id <= '11000' MAXRESULTS 1000",
    "SELECT * FROM Purchase WHERE DocNumber LIKE '1%' MAXRESULTS 1000",
    'SELECT * FROM Purchase WHERE TotalAmt > 100 ORDERBY TxnDate DESC MAXRESULTS 1000',
    "SELECT * FROM Deposit WHERE TxnDate >= '2026-01-01' MAXRESULTS 1000",
  ])('answers %p exactly as a full scan would', (src) => {
    const got = ids(runQuery(ledger, render, validateQuery(src)), validateQuery(src).entity);
    expect(got).toEqual(naive(ledger, render, src).map((o) => o.Id));
  });

  it('counts like a full scan, leaves deleted transactions out and finds edited and added ones', () => {
    const count = runQuery(ledger, render, validateQuery('SELECT COUNT(*) FROM Purchase')).QueryResponse
      .totalCount;
    expect(count).toBe(purchases.length - 2 + 1);
    const dated = runQuery(
      ledger,
      render,
      validateQuery("SELECT * FROM Purchase WHERE TxnDate = '2026-11-20'"),
    );
    expect(ids(dated, 'Purchase')).toContain(moved.id);
    const byId = runQuery(
      ledger,
      render,
      validateQuery(`SELECT * FROM Purchase WHERE Id IN ('${added.id}', '${ledger.txn(purchases[20])!.id}')`),
    );
    expect(ids(byId, 'Purchase')).toEqual([added.id]);
    const recent = runQuery(
      ledger,
      render,
      validateQuery("SELECT * FROM Purchase WHERE MetaData.LastUpdatedTime > '2026-11-23T11:00:00Z'"),
    );
    expect(ids(recent, 'Purchase')).toEqual(
      expect.arrayContaining([moved.id, movedBack.id, memoOnly.id, added.id]),
    );
  });

  it('answers empty results with an empty QueryResponse, and reports the page size as maxResults', () => {
    expect(
      runQuery(ledger, render, validateQuery("SELECT * FROM Purchase WHERE TxnDate < '2000-01-01'")),
    ).toEqual({ QueryResponse: {} });
    const page = runQuery(
      ledger,
      render,
      validateQuery('SELECT * FROM Purchase STARTPOSITION 5 MAXRESULTS 3'),
    ).QueryResponse;
    expect(page).toMatchObject({ startPosition: 5, maxResults: 3 });
  });

  it('queries lists, leaving inactive names out unless Active is asked about', () => {
    const accounts = runQuery(
      ledger,
      render,
      validateQuery("SELECT * FROM Account WHERE AccountType = 'Bank' ORDERBY Name DESC"),
    ).QueryResponse.Account as QboObject[];
    expect(accounts.map((a) => a.Name)).toEqual(['Business Savings', 'Business Checking']);
    ledger.accounts[1].active = false;
    try {
      expect(
        runQuery(ledger, render, validateQuery("SELECT * FROM Account WHERE AccountType = 'Bank'"))
          .QueryResponse.Account,
      ).toHaveLength(1);
      expect(
        runQuery(
          ledger,
          render,
          validateQuery("SELECT * FROM Account WHERE AccountType = 'Bank' AND Active IN (true, false)"),
        ).QueryResponse.Account,
      ).toHaveLength(2);
    } finally {
      ledger.accounts[1].active = true;
    }
    expect(
      runQuery(ledger, render, validateQuery("SELECT * FROM Vendor WHERE DisplayName LIKE '%depot%'"))
        .QueryResponse.Vendor,
    ).toHaveLength(2);
    expect(
      runQuery(ledger, render, validateQuery('SELECT COUNT(*) FROM Customer')).QueryResponse.totalCount,
    ).toBe(20);
    const projected = (
      runQuery(ledger, render, validateQuery('SELECT Name FROM Class')).QueryResponse.Class as QboObject[]
    )[0];
    expect(Object.keys(projected).sort()).toEqual(['Id', 'Name', 'SyncToken', 'domain', 'sparse']);
  });

  it.each([
    ['SELECT * FROM Purchase MAXRESULTS 1001', '4001', /too large/],
    ['SELECT * FROM Widget', '4001', /Widget/],
    ["SELECT * FROM Purchase WHERE Colour = 'red'", '4001', /not queryable/],
    ["SELECT * FROM Purchase WHERE TxnDate >= 'yesterday'", '4001', /not a valid value/],
    ['SELECT * FROM Purchase WHERE TotalAmt LIKE 5', '4000', /quoted/],
    ["SELECT * FROM Purchase WHERE TxnDate = '2026-01-01' OR Id = '1'", '4000', /OR/],
  ])('refuses %p with a Fault', (src, code, detail) => {
    let fault: QboFault | undefined;
    try {
      validateQuery(src);
    } catch (e) {
      fault = e as QboFault;
    }
    expect(fault).toBeInstanceOf(QboFault);
    expect(fault!.code).toBe(code);
    expect(fault!.status).toBe(400);
    expect(fault!.detail).toMatch(detail);
  });

  it('pages a 200,000-transaction company without generating every transaction', () => {
    const big = company(200_000);
    big.ledger.indicesOf(['spend']); // the one-off kind index
    const started = Date.now();
    const r = runQuery(
      big.ledger,
      big.render,
      validateQuery('SELECT * FROM Purchase STARTPOSITION 100001 MAXRESULTS 1000'),
    );
    const dated = runQuery(
      big.ledger,
      big.render,
      validateQuery(
        "SELECT * FROM Purchase WHERE TxnDate >= '2026-06-01' STARTPOSITION 2001 MAXRESULTS 1000",
      ),
    );
    const count = runQuery(big.ledger, big.render, validateQuery('SELECT COUNT(*) FROM Purchase'));
    const elapsed = Date.now() - started;
    expect(r.QueryResponse.Purchase).toHaveLength(1000);
    expect((dated.QueryResponse.Purchase as QboObject[])[0].TxnDate >= '2026-06-01').toBe(true);
    expect(count.QueryResponse.totalCount).toBeGreaterThan(100_000);
    expect(elapsed).toBeLessThan(5000);
  });
});
