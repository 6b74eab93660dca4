import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSandboxConfig } from '../config';
import { Companies } from '../model/companies';
import type { TxnKind } from '../model/ledger';
import { ENTITY_OF_KIND, type QboObject, QboRenderer } from './entities';
import { faults, qboTime } from './errors';
import { balanceSheet, profitAndLoss } from './reports';

/**
 * Every QuickBooks object the sandbox renders uses only element and attribute names that Intuit's
 * data model (the XSDs its SDKs are generated from, in apps/ledger-sandbox/reference/quickbooks) defines for
 * that type, with values of the right kind. The allowed names come from the XSDs, not from a list.
 */
const XSD_DIR = join(__dirname, '../../reference/quickbooks');

interface Field {
  type: string;
  many: boolean;
}
interface ComplexType {
  base?: string;
  simpleContent: boolean;
  fields: Map<string, Field>;
  groups: string[];
}

function loadXsd(dir: string) {
  const complex = new Map<string, ComplexType>();
  const simple = new Map<string, { base: string; values: string[] }>();
  const groups = new Map<string, Map<string, Field>>();
  const fieldsOf = (block: string) => {
    const out = new Map<string, Field>();
    for (const m of block.matchAll(/<xs:element\b([^>]*)>/g)) {
      const name = /\bname="([^"]+)"/.exec(m[1])?.[1];
      if (!name) continue;
      const type = /\btype="([^"]+)"/.exec(m[1])?.[1] ?? 'xs:anyType';
      out.set(name, { type, many: /maxOccurs="(unbounded|[2-9]\d*)"/.test(m[1]) });
    }
    for (const m of block.matchAll(/<xs:attribute\b([^>]*)>/g)) {
      const name = /\bname="([^"]+)"/.exec(m[1])?.[1];
      if (name) out.set(name, { type: /\btype="([^"]+)"/.exec(m[1])?.[1] ?? 'xs:string', many: false });
    }
    return out;
  };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.xsd'))) {
    const text = readFileSync(join(dir, file), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    for (const m of text.matchAll(/<xs:complexType\s+name="([^"]+)"[\s\S]*?<\/xs:complexType>/g)) {
      complex.set(m[1], {
        base: /<xs:extension\s+base="([^"]+)"/.exec(m[0])?.[1],
        simpleContent: m[0].includes('<xs:simpleContent>'),
        fields: fieldsOf(m[0]),
        groups: [...m[0].matchAll(/<xs:group\s+ref="([^"]+)"/g)].map((g) => g[1]),
      });
    }
    for (const m of text.matchAll(/<xs:group\s+name="([^"]+)">[\s\S]*?<\/xs:group>/g))
      groups.set(m[1], fieldsOf(m[0]));
    for (const m of text.matchAll(/<xs:simpleType\s+name="([^"]+)"[\s\S]*?<\/xs:simpleType>/g)) {
      simple.set(m[1], {
        base: /<xs:restriction\s+base="([^"]+)"/.exec(m[0])?.[1] ?? 'xs:string',
        values: [...m[0].matchAll(/<xs:enumeration\s+value="([^"]*)"/g)].map((v) => v[1]),
      });
    }
  }
  return { complex, simple, groups };
}

function validator(xsd: ReturnType<typeof loadXsd>) {
  const allFields = (name: string): { fields: Map<string, Field>; contentType?: string } => {
    const t = xsd.complex.get(name);
    if (!t) throw new Error(`no complexType ${name} in the XSDs`);
    const fields = new Map<string, Field>();
    let contentType: string | undefined;
    if (t.base) {
      if (xsd.complex.has(t.base)) {
        const inherited = allFields(t.base);
        inherited.fields.forEach((v, k) => fields.set(k, v));
        contentType = inherited.contentType;
      } else if (t.simpleContent) contentType = t.base;
    }
    t.fields.forEach((v, k) => fields.set(k, v));
    for (const g of t.groups) xsd.groups.get(g)?.forEach((v, k) => fields.set(k, v));
    return { fields, contentType };
  };

  const checkSimple = (value: unknown, type: string, path: string, errors: string[]): void => {
    const s = xsd.simple.get(type);
    if (s) {
      if (s.values.length && !s.values.includes(String(value)))
        errors.push(`${path}: ${JSON.stringify(value)} is not one of ${type}`);
      return checkSimple(value, s.base, path, errors);
    }
    const ok: Record<string, (v: unknown) => boolean> = {
      'xs:string': (v) => typeof v === 'string',
      'xs:anyURI': (v) => typeof v === 'string',
      'xs:decimal': (v) => typeof v === 'number',
      'xs:int': (v) => Number.isInteger(v),
      'xs:positiveInteger': (v) => Number.isInteger(v) && (v as number) > 0,
      'xs:boolean': (v) => typeof v === 'boolean',
      'xs:date': (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
      'xs:dateTime': (v) =>
        typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/.test(v),
    };
    const check = ok[type];
    if (!check) errors.push(`${path}: unknown simple type ${type}`);
    else if (!check(value)) errors.push(`${path}: ${JSON.stringify(value)} is not a valid ${type}`);
  };

  const check = (value: unknown, type: string, path: string, errors: string[]): void => {
    if (type === 'IntuitAnyType' || type === 'xs:anyType') return;
    if (!xsd.complex.has(type)) return checkSimple(value, type, path, errors);
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${path}: expected an object of ${type}`);
      return;
    }
    const { fields, contentType } = allFields(type);
    for (const [key, v] of Object.entries(value as QboObject)) {
      if (key === 'value' && contentType) {
        checkSimple(v, contentType, `${path}.value`, errors);
        continue;
      }
      const f = fields.get(key);
      if (!f) {
        errors.push(`${path}.${key}: ${type} has no element or attribute ${key}`);
        continue;
      }
      if (Array.isArray(v)) {
        if (!f.many) errors.push(`${path}.${key}: ${type}.${key} is not repeated`);
        v.forEach((item, i) => check(item, f.type, `${path}.${key}[${i}]`, errors));
      } else {
        if (f.many) {
          // QuickBooks' JSON always renders repeated elements as arrays.
          errors.push(`${path}.${key}: ${type}.${key} is repeated and must be an array`);
        }
        check(v, f.type, `${path}.${key}`, errors);
      }
    }
  };

  return (value: unknown, type: string): string[] => {
    const errors: string[] = [];
    check(value, type, type, errors);
    return errors;
  };
}

const maybe = existsSync(XSD_DIR) ? describe : describe.skip;

maybe('QuickBooks rendering follows Intuit’s XSDs', () => {
  const validate = validator(loadXsd(XSD_DIR));
  const config = loadSandboxConfig({
    SANDBOX_TODAY: '2026-11-23',
    SANDBOX_SEED: 'fidelity',
    SANDBOX_TRANSACTIONS: '3000',
  });
  const companies = new Companies(config, () => Date.parse('2026-11-23T12:00:00Z'));
  const ledgers = companies.list('qbo');

  it('derives the model from the XSDs (sanity)', () => {
    expect(validate({ Id: '1', Bogus: 1 }, 'Purchase')).toEqual([
      'Purchase.Bogus: Purchase has no element or attribute Bogus',
    ]);
    expect(
      validate(
        {
          PaymentType: 'Barter',
          TotalAmt: '1.00',
          Line: [{ Amount: 1, AccountBasedExpenseLineDetail: { AccountRef: { value: '1', label: 'x' } } }],
          MetaData: { CreateTime: '2026-01-01' },
        },
        'Purchase',
      ),
    ).toEqual([
      'Purchase.PaymentType: "Barter" is not one of PaymentTypeEnum',
      'Purchase.TotalAmt: "1.00" is not a valid xs:decimal',
      'Purchase.Line[0].AccountBasedExpenseLineDetail.AccountRef.label: ReferenceType has no element or attribute label',
      'Purchase.MetaData.CreateTime: "2026-01-01" is not a valid xs:dateTime',
    ]);
  });

  it.each(Object.entries(ENTITY_OF_KIND))('renders %s transactions as valid %s objects', (kind, entity) => {
    for (const ledger of ledgers) {
      const render = new QboRenderer(ledger);
      const indices = ledger.indicesOf([kind as TxnKind]).slice(0, 40);
      expect(indices.length).toBeGreaterThan(0);
      for (const i of indices) expect(validate(render.txn(ledger.txn(i)!), entity)).toEqual([]);
    }
  });

  it('renders deleted transactions, lists, CompanyInfo and Preferences validly', () => {
    for (const ledger of ledgers) {
      const render = new QboRenderer(ledger);
      const t = ledger.txn(0)!;
      expect(validate(render.deleted({ ...t, deleted: true }), ENTITY_OF_KIND[t.kind])).toEqual([]);
      for (const a of ledger.accounts) expect(validate(render.account(a), 'Account')).toEqual([]);
      for (const c of ledger.classes) expect(validate(render.klass(c), 'Class')).toEqual([]);
      for (const p of ledger.payees)
        expect(validate(render.payee(p), p.kind === 'vendor' ? 'Vendor' : 'Customer')).toEqual([]);
      expect(validate(render.companyInfo(), 'CompanyInfo')).toEqual([]);
      expect(validate(render.preferences(), 'Preferences')).toEqual([]);
    }
  });

  it('renders reports and faults validly', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(validate(profitAndLoss(ledgers[0], {}, now), 'Report')).toEqual([]);
    expect(validate(balanceSheet(ledgers[0], { accounting_method: 'Cash' }, now), 'Report')).toEqual([]);
    expect(validate(faults.staleObject().body(qboTime(now, true)).Fault, 'Fault')).toEqual([]);
    expect(validate(faults.unbalanced().body(qboTime(now, true)).Fault, 'Fault')).toEqual([]);
  });

  it('renders a transaction after a write-back update validly, with its new SyncToken and time', () => {
    for (const ledger of ledgers) {
      const render = new QboRenderer(ledger);
      for (const kind of ['spend', 'receive', 'journal', 'bill'] as const) {
        const t = ledger
          .indicesOf([kind])
          .map((i) => ledger.txn(i)!)
          .find((x) => !x.deleted)!;
        const account = ledger.accounts.find((a) => a.kind === 'expense' && a.id !== t.lines[0].accountId)!;
        const updated = ledger.update(
          t.id,
          { lines: t.lines.map((l, n) => (n === 0 ? { ...l, accountId: account.id } : l)) },
          t.syncToken,
        )!;
        const obj = render.txn(updated);
        expect(validate(obj, ENTITY_OF_KIND[kind])).toEqual([]);
        expect(obj.SyncToken).toBe(String(t.syncToken + 1));
        expect(obj.Line.map((l: QboObject) => l.Id)).toEqual(t.lines.map((l) => l.id));
      }
    }
  });
});
