import type { EntityManager } from 'typeorm';
import type { CompanyDetails, LedgerAccount } from '@ledgerport/ledger';

/**
 * Accounts that mean "not categorized yet" in the ledgers' default charts (S5): QuickBooks'
 * Uncategorized Expense / Income / Asset and Ask My Accountant, and a suspense account (Xero).
 * Marked "needs review" when first seen; the firm can change that per account afterwards.
 */
export const REVIEW_ACCOUNT_SQL = `(a.name ~* '^(uncategori[sz]ed (expense|income|asset)s?|ask my accountant)$' OR a.name ~* 'suspense')`;

/** Saves what a connection reads about its company: the details, classes, and the chart of accounts as a set. */
export async function saveCompanyDetails(m: EntityManager, id: string, firmId: string, d: CompanyDetails, accounts: LedgerAccount[]): Promise<void> {
  await m.query(
    `UPDATE ledger_connections SET company_name = $2, legal_name = $3, edition = $4, country = $5, currency = $6, class_tracking = $7,
            classes = $8::jsonb, payroll_status = $9, fixed_assets_status = $10, dashboard_url = $11, last_refreshed_at = now(),
            last_error = NULL, updated_at = now()
      WHERE id = $1`,
    [id, d.name, d.legalName, d.edition, d.country, d.currency, d.classTracking, JSON.stringify(d.classes), d.payroll, d.fixedAssets, d.dashboardUrl],
  );
  // One statement for the rows (a new account's review flag comes from its name), one for the ones gone.
  await m.query(
    `INSERT INTO ledger_accounts (connection_id, firm_id, external_id, code, name, type, active, needs_review, updated_at)
     SELECT $1, $2, a.id, a.code, a.name, a.type, a.active, ${REVIEW_ACCOUNT_SQL}, now()
       FROM jsonb_to_recordset($3::jsonb) AS a(id text, code text, name text, type text, active boolean)
     ON CONFLICT (connection_id, external_id) DO UPDATE
       SET code = EXCLUDED.code, name = EXCLUDED.name, type = EXCLUDED.type, active = EXCLUDED.active, updated_at = now()`,
    [id, firmId, JSON.stringify(accounts)],
  );
  await m.query(`DELETE FROM ledger_accounts WHERE connection_id = $1 AND NOT (external_id = ANY($2::text[]))`, [id, accounts.map((a) => a.id)]);
}
