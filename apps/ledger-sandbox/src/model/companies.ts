import type { SandboxConfig } from '../config';
import { CompanyLedger } from './company-ledger';
import type { CompanyDef, Provider } from './ledger';
import { stableUuid } from './random';

type CompanySpec = Omit<CompanyDef, 'id' | 'seed' | 'transactions' | 'uncategorizedShare'> & {
  /** Transactions, as a multiple of SANDBOX_TRANSACTIONS (default 1,500). */
  size: number;
  /** The share left uncategorized, when not SANDBOX_UNCATEGORIZED_SHARE. */
  uncategorizedShare?: number;
};

/**
 * The companies a fresh sandbox has. The demo links Acme to QuickBooks and Birch to Xero; Cedar has
 * a company on both, so it can connect to either.
 */
const DEFAULTS: CompanySpec[] = [
  // ~2,000 transactions, one class per transaction, ~5 % uncategorized (the demo's Acme).
  { provider: 'qbo', name: 'Acme Coffee Roasters', legalName: 'Acme Coffee Roasters LLC', country: 'US', currency: 'USD', edition: 'QuickBooks Online Plus', classTracking: 'per_txn', classShare: 0.7, size: 4 / 3, uncategorizedShare: 0.05 },
  { provider: 'qbo', name: 'Cedar Yoga Collective', legalName: 'Cedar Yoga Collective Inc.', country: 'US', currency: 'USD', edition: 'QuickBooks Online Essentials', classTracking: 'off', classShare: 0, size: 0.6 },
  { provider: 'qbo', name: 'Sandbox Company US', legalName: 'Sandbox Company US Inc.', country: 'US', currency: 'USD', edition: 'QuickBooks Online Advanced', classTracking: 'per_line', classShare: 0.8, size: 0.4 },
  // Birch (Xero) has two tracking categories, Department and Location: lines may carry one option of each.
  { provider: 'xero', name: 'Birch Dental Studio', legalName: 'Birch Dental Studio Ltd', country: 'US', currency: 'USD', edition: 'STANDARD', classTracking: 'per_line', classShare: 0.5, payroll: true, fixedAssets: true, trackingCategories: ['Department', 'Location'], size: 1 },
  { provider: 'xero', name: 'Cedar Yoga Collective', legalName: 'Cedar Yoga Collective Inc.', country: 'US', currency: 'USD', edition: 'STARTER', classTracking: 'off', classShare: 0, payroll: false, fixedAssets: false, size: 0.5 },
];

/** QuickBooks realm ids are digits; Xero tenant ids are UUIDs. Both derive from the seed and the name. */
export function companyId(provider: Provider, seed: string, name: string, n: number): string {
  return provider === 'qbo' ? String(9130350000000000 + n) : stableUuid(`${seed}:xero:${name}`);
}

export class Companies {
  private readonly byId = new Map<string, CompanyLedger>();
  private created = 0;
  /** Called for every company added after construction (webhooks watch their changes). */
  onAdd?: (ledger: CompanyLedger) => void;

  constructor(
    private readonly config: SandboxConfig,
    private readonly clock: () => number = Date.now,
  ) {
    for (const spec of DEFAULTS) {
      const { size, uncategorizedShare, ...rest } = spec;
      this.add({
        ...rest,
        transactions: Math.round(config.SANDBOX_TRANSACTIONS * size),
        uncategorizedShare: uncategorizedShare ?? config.SANDBOX_UNCATEGORIZED_SHARE,
      });
    }
  }

  add(def: Omit<CompanyDef, 'id' | 'seed'> & { id?: string; seed?: string }): CompanyLedger {
    const n = ++this.created;
    const id = def.id ?? companyId(def.provider, this.config.SANDBOX_SEED, `${def.name}:${n}`, n);
    const ledger = new CompanyLedger({ ...def, id, seed: def.seed ?? `${this.config.SANDBOX_SEED}:${id}` }, this.config.today, this.clock);
    this.byId.set(id, ledger);
    this.onAdd?.(ledger);
    return ledger;
  }

  get(id: string): CompanyLedger | undefined {
    return this.byId.get(id);
  }

  list(provider?: Provider): CompanyLedger[] {
    return [...this.byId.values()].filter((c) => !provider || c.def.provider === provider);
  }
}
