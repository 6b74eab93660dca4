import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { CompanyLedger } from '../model/company-ledger';
import { Random, stableUuid } from '../model/random';
import type { ApiRoute } from './accounting';

/**
 * Just enough of Xero Payroll (UK, v2) and Assets (v1) to tell whether each product is set up for
 * an organisation: a list of employees / fixed assets when it is, 403 when it is not.
 */
export const PAYROLL_BASE = '/payroll.xro/2.0';
export const ASSETS_BASE = '/assets.xro/1.0';

const FIRST = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Lucas', 'Mia', 'Mason'];
const LAST = ['Nguyen', 'Patel', 'Garcia', 'Smith', 'Kim', 'Johnson', 'Brown', 'Lopez', 'Chen', 'Walker'];
const ASSET_NAMES = ['Dental chair', 'X-ray unit', 'Autoclave', 'Reception desk', 'Laptop', 'Compressor'];

const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function employees(ledger: CompanyLedger): Record<string, unknown>[] {
  const r = new Random(`${ledger.def.seed}:payroll`);
  const n = r.int(3, 7);
  const created = ledger.windowStart - 20 * 86_400_000;
  return Array.from({ length: n }, (_, i) => {
    const firstName = r.pick(FIRST);
    const lastName = r.pick(LAST);
    const female = ['Olivia', 'Emma', 'Ava', 'Sophia', 'Mia'].includes(firstName);
    return {
      employeeID: stableUuid(`${ledger.def.seed}:employee:${i}`),
      title: female ? 'Ms' : 'Mr',
      firstName,
      lastName,
      dateOfBirth: ymd(Date.UTC(r.int(1965, 2000), r.int(0, 11), r.int(1, 28))),
      address: {
        addressLine1: `${r.int(1, 400)} Main Street`,
        city: 'Springfield',
        postCode: String(r.int(10000, 99999)),
        countryName: 'United States',
      },
      email: `${firstName}.${lastName}@example.com`.toLowerCase(),
      gender: female ? 'F' : 'M',
      startDate: ymd(created + r.int(0, 400) * 86_400_000),
      payrollCalendarID: stableUuid(`${ledger.def.seed}:payroll-calendar`),
      updatedDateUTC: new Date(created).toISOString(),
      createdDateUTC: new Date(created).toISOString(),
      nationalInsuranceNumber: '',
      isOffPayrollWorker: false,
    };
  });
}

export function assets(ledger: CompanyLedger): Record<string, unknown>[] {
  const r = new Random(`${ledger.def.seed}:assets`);
  const n = r.int(2, ASSET_NAMES.length);
  return Array.from({ length: n }, (_, i) => {
    const price = r.int(800, 40_000);
    const bought = ledger.windowStart + r.int(0, 600) * 86_400_000;
    const lifeYears = r.pick([3, 5, 7]);
    const elapsed = ledger.windowStart + 730 * 86_400_000 - bought;
    const depreciated = Math.min(price, Math.round((elapsed / (lifeYears * 365 * 86_400_000)) * price));
    return {
      assetId: stableUuid(`${ledger.def.seed}:asset:${i}`),
      assetName: ASSET_NAMES[i],
      assetTypeId: stableUuid(`${ledger.def.seed}:asset-type`),
      assetNumber: `FA-${String(i + 1).padStart(4, '0')}`,
      purchaseDate: ymd(bought),
      purchasePrice: price,
      assetStatus: 'Registered',
      warrantyExpiryDate: '',
      serialNumber: `SN${r.int(100000, 999999)}`,
      bookDepreciationSetting: {
        depreciationMethod: 'StraightLine',
        averagingMethod: 'ActualDays',
        effectiveLifeYears: lifeYears,
        depreciationCalculationMethod: 'Life',
      },
      bookDepreciationDetail: {
        depreciationStartDate: ymd(bought),
        currentAccumDepreciationAmount: depreciated,
        priorAccumDepreciationAmount: 0,
        residualValue: 0,
      },
      canRollback: true,
      accountingBookValue: price - depreciated,
      isDeleteEnabledForDate: false,
    };
  });
}

function notSubscribed(reply: FastifyReply, product: string) {
  return reply
    .code(403)
    .send({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: `The organisation is not subscribed to ${product}.`,
    });
}

export function registerProducts(route: ApiRoute): void {
  const payroll = ['payroll.employees', 'payroll.employees.read'];
  const employeesList: Parameters<ApiRoute>[3] = (req, reply, c) => {
    if (!c.ledger.def.payroll) return notSubscribed(reply, 'Xero Payroll');
    const all = employees(c.ledger);
    const q = req.query as { page?: string };
    const page = Math.max(1, Number(q.page) || 1);
    const items = all.slice((page - 1) * 100, page * 100);
    return {
      id: randomUUID(),
      providerName: 'Ledgerport',
      dateTimeUTC: new Date(c.now).toISOString(),
      httpStatusCode: 'OK',
      pagination: {
        page,
        pageSize: 100,
        pageCount: Math.max(1, Math.ceil(all.length / 100)),
        itemCount: all.length,
      },
      employees: items,
    };
  };
  route('GET', `${PAYROLL_BASE}/Employees`, payroll, employeesList);
  route('GET', `${PAYROLL_BASE}/employees`, payroll, employeesList);

  route('GET', `${ASSETS_BASE}/Assets`, ['assets', 'assets.read'], (req, reply, c) => {
    if (!c.ledger.def.fixedAssets) return notSubscribed(reply, 'Xero Fixed Assets');
    const q = req.query as { status?: string; page?: string; pageSize?: string };
    const status = (q.status ?? '').toUpperCase();
    if (!['DRAFT', 'REGISTERED', 'DISPOSED'].includes(status)) {
      return reply
        .code(400)
        .send({
          type: 'about:blank',
          title: 'Bad Request',
          detail: 'status is required: DRAFT, REGISTERED or DISPOSED',
        });
    }
    const all = assets(c.ledger).filter((a) => String(a.assetStatus).toUpperCase() === status);
    const page = Math.max(1, Number(q.page) || 1);
    const pageSize = Math.min(200, Math.max(1, Number(q.pageSize) || 10));
    return {
      pagination: { page, pageSize, pageCount: Math.ceil(all.length / pageSize), itemCount: all.length },
      items: all.slice((page - 1) * pageSize, page * pageSize),
    };
  });
}
