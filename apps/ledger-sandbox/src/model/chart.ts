import type { Account, AccountKind, ClassDef, Payee, Provider, Uncategorized } from './ledger';
import { Random } from './random';

interface AccountSeed {
  code: string;
  name: string;
  kind: AccountKind;
  uncategorized?: Uncategorized;
  bankNumber?: string;
  /** Only in this provider's charts. */
  only?: Provider;
}

/** A realistic small-business chart of accounts (US-style names; Xero adds its suspense account). */
const CHART: AccountSeed[] = [
  { code: '1000', name: 'Business Checking', kind: 'bank', bankNumber: '4821' },
  { code: '1010', name: 'Business Savings', kind: 'bank', bankNumber: '9034' },
  { code: '1020', name: 'Amex Business Card', kind: 'credit_card', bankNumber: '1007' },
  { code: '1100', name: 'Accounts Receivable', kind: 'accounts_receivable' },
  { code: '1200', name: 'Inventory Asset', kind: 'current_asset' },
  { code: '1300', name: 'Prepaid Expenses', kind: 'current_asset' },
  { code: '1500', name: 'Equipment', kind: 'fixed_asset' },
  { code: '2000', name: 'Accounts Payable', kind: 'accounts_payable' },
  { code: '2100', name: 'Sales Tax Payable', kind: 'current_liability' },
  { code: '2200', name: 'Payroll Liabilities', kind: 'current_liability' },
  { code: '3000', name: "Owner's Equity", kind: 'equity' },
  { code: '3100', name: 'Retained Earnings', kind: 'equity' },
  { code: '4000', name: 'Sales', kind: 'income' },
  { code: '4100', name: 'Services', kind: 'income' },
  { code: '4900', name: 'Uncategorized Income', kind: 'income', uncategorized: 'income', only: 'qbo' },
  { code: '4950', name: 'Interest Earned', kind: 'other_income' },
  { code: '5000', name: 'Cost of Goods Sold', kind: 'cost_of_sales' },
  { code: '6000', name: 'Advertising & Marketing', kind: 'expense' },
  { code: '6010', name: 'Bank Charges & Fees', kind: 'expense' },
  { code: '6020', name: 'Car & Truck', kind: 'expense' },
  { code: '6030', name: 'Contractors', kind: 'expense' },
  { code: '6040', name: 'Insurance', kind: 'expense' },
  { code: '6050', name: 'Legal & Professional Services', kind: 'expense' },
  { code: '6060', name: 'Meals & Entertainment', kind: 'expense' },
  { code: '6070', name: 'Office Supplies & Software', kind: 'expense' },
  { code: '6080', name: 'Rent & Lease', kind: 'expense' },
  { code: '6090', name: 'Repairs & Maintenance', kind: 'expense' },
  { code: '6100', name: 'Travel', kind: 'expense' },
  { code: '6110', name: 'Utilities', kind: 'expense' },
  { code: '6120', name: 'Payroll Expenses', kind: 'expense' },
  { code: '6900', name: 'Uncategorized Expense', kind: 'expense', uncategorized: 'expense', only: 'qbo' },
  { code: '6950', name: 'Ask My Accountant', kind: 'expense', uncategorized: 'ask_accountant', only: 'qbo' },
  { code: '9999', name: 'Suspense', kind: 'current_liability', uncategorized: 'suspense', only: 'xero' },
];

export function buildChart(provider: Provider, idOf: (i: number) => string, createdAt: string): Account[] {
  return CHART.filter((a) => !a.only || a.only === provider).map((a, i) => ({
    id: idOf(i),
    code: a.code,
    name: a.name,
    kind: a.kind,
    active: true,
    uncategorized: a.uncategorized,
    bankNumber: a.bankNumber,
    createdAt,
    updatedAt: createdAt,
  }));
}

const CLASS_NAMES = ['Retail', 'Wholesale', 'Online', 'Events', 'Downtown', 'Uptown'];

/** Options of the tracking categories a company names (`CompanyDef.trackingCategories`). */
const CATEGORY_OPTIONS: Record<string, string[]> = {
  Department: ['Hygiene', 'Orthodontics', 'Surgery'],
  Location: ['Downtown', 'Uptown'],
};

export function buildClasses(
  seed: string,
  idOf: (i: number) => string,
  createdAt: string,
  categories?: readonly string[],
): ClassDef[] {
  if (categories?.length) {
    // Named categories: each gets its options (unknown names get the first three class names).
    const named = categories.flatMap((category) =>
      (CATEGORY_OPTIONS[category] ?? CLASS_NAMES.slice(0, 3)).map((name) => ({ name, category })),
    );
    return named.map((c, i) => ({ id: idOf(i), ...c, active: true, createdAt, updatedAt: createdAt }));
  }
  const r = new Random(`${seed}:classes`);
  const n = r.int(3, CLASS_NAMES.length);
  return CLASS_NAMES.slice(0, n).map((name, i) => ({ id: idOf(i), name, active: true, createdAt, updatedAt: createdAt }));
}

const VENDORS = [
  'Office Depot', 'Staples', 'Amazon Business', 'Home Depot', 'Shell', 'Chevron', 'Comcast Business', 'Verizon Wireless',
  'PG&E', 'City Water Dept', 'WeWork', 'Regus', 'Google Workspace', 'Microsoft 365', 'Adobe', 'Slack', 'Zoom', 'Dropbox',
  'FedEx', 'UPS', 'USPS', 'Costco', 'Sysco', 'US Foods', 'Uber', 'Lyft', 'Delta Air Lines', 'United Airlines', 'Marriott',
  'Hilton', 'State Farm', 'Hartford Insurance', 'Gusto', 'ADP', 'Square', 'Stripe', 'PayPal', 'Intuit', 'LegalZoom',
  'Upwork', 'Fiverr', 'Yelp Ads', 'Facebook Ads', 'Google Ads', 'Mailchimp', 'Canva', 'Shopify', 'GoDaddy', 'Squarespace',
  'Local Hardware Co', 'Joe’s Plumbing', 'Green Cleaning Services', 'Sunrise Bakery Supply', 'Pacific Coffee Importers',
];
const CUSTOMERS = [
  'Bright Smile Clinic', 'Harbor Cafe', 'Maple Street Market', 'Northside Gym', 'Oak & Vine Bistro', 'Pine Ridge Hotel',
  'Riverbend Books', 'Summit Outfitters', 'Tidewater Events', 'Urban Sprout Florist', 'Valley Vet Clinic', 'Willow Spa',
  'Blue Door Bakery', 'Cobalt Design Studio', 'Driftwood Surf Shop', 'Evergreen Landscaping', 'Foxglove Tea Room',
  'Granite Fitness', 'Hilltop Preschool', 'Ironwood Brewing',
];

export function buildPayees(seed: string, idOf: (i: number) => string, createdAt: string): Payee[] {
  return [
    ...VENDORS.map((name) => ({ name, kind: 'vendor' as const })),
    ...CUSTOMERS.map((name) => ({ name, kind: 'customer' as const })),
  ].map((p, i) => ({
    id: idOf(i),
    ...p,
    email: `billing@${p.name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
    createdAt,
    updatedAt: createdAt,
  }));
}
