import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context';
import type { CompanyLedger, TxnInput } from '../model/company-ledger';
import type { Provider, Txn, TxnKind } from '../model/ledger';
import { consentAsBrowser } from './auto-consent';
import { badRequest, ControlError, controlErrors, notFound, parse } from './http';

/**
 * The control API, for tests, benchmarks and demos only: NO authentication. It creates companies,
 * adds, edits and deletes transactions (which raise webhooks and show up in CDC / If-Modified-Since),
 * reconciles Xero bank transactions, injects faults (on every call or only on updates; QuickBooks
 * stale-object conflicts too), revokes grants, expires tokens and moves the clock. Bodies are JSON;
 * bad input is 400 `{error, message}`, an unknown company or transaction 404. Webhook routes live in
 * ../webhooks/webhooks.routes.ts (GET /control/webhooks, POST /control/webhooks/xero/intent, …).
 */

const KINDS = [
  'spend',
  'receive',
  'journal',
  'transfer',
  'bill',
  'bill_payment',
  'invoice',
  'payment',
  'sales_receipt',
] as const satisfies readonly TxnKind[];
/** Xero's bank transactions, manual journals and bank transfers; the rest are QuickBooks-only here. */
const XERO_KINDS: readonly TxnKind[] = ['spend', 'receive', 'journal', 'transfer'];
/** Kinds that move money through a bank or card account (defaulted to the main bank account). */
const BANK_KINDS: readonly TxnKind[] = [
  'spend',
  'receive',
  'transfer',
  'bill_payment',
  'payment',
  'sales_receipt',
];

const provider = z.enum(['qbo', 'xero']);
const id = z.string().min(1).max(100);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-11-23')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'is not a calendar date',
  );

const createCompanyBody = z
  .object({
    provider,
    name: z.string().trim().min(1).max(100),
    transactions: z.number().int().min(0).max(1_000_000),
    classTracking: z.enum(['off', 'per_txn', 'per_line']).optional(),
    edition: z.string().trim().min(1).max(100).optional(),
    uncategorizedShare: z.number().min(0).max(1).optional(),
    classShare: z.number().min(0).max(1).optional(),
    payroll: z.boolean().optional(),
    fixedAssets: z.boolean().optional(),
    legalName: z.string().trim().min(1).max(200).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO country code such as US')
      .optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO currency code such as USD')
      .optional(),
    seed: z.string().min(1).max(200).optional(),
  })
  .strict();

const lineBody = z
  .object({
    accountId: id,
    classId: id.nullable().optional(),
    amountMinor: z.number().int().min(0).max(1e13),
    description: z.string().max(4000).optional(),
    posting: z.enum(['debit', 'credit']).optional(),
  })
  .strict();

const txnFields = {
  date: isoDate,
  payeeId: id.nullable().optional(),
  bankAccountId: id.nullable().optional(),
  toAccountId: id.nullable().optional(),
  lines: z.array(lineBody).min(1).max(250),
  memo: z.string().max(4000).optional(),
  docNumber: z.string().max(21).optional(),
};
const createTxnBody = z.object({ kind: z.enum(KINDS), ...txnFields }).strict();
const patchTxnBody = z
  .object({ kind: z.enum(KINDS), ...txnFields })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');

const pageQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const faultBody = z
  .object({
    provider,
    companyId: id.optional(),
    kind: z.enum(['status', 'latency', 'drop_webhook', 'stale_object']),
    status: z.union([z.literal(500), z.literal(429), z.literal(401)]).optional(),
    latencyMs: z.number().int().min(1).max(120_000).optional(),
    /** 'updates': only write calls take the fault (reads pass); default 'all'. */
    calls: z.enum(['all', 'updates']).optional(),
    count: z.number().int().min(1).max(1_000_000).default(1),
  })
  .strict()
  .superRefine((f, c) => {
    if (f.kind === 'stale_object' && f.provider !== 'qbo')
      c.addIssue({
        code: 'custom',
        path: ['kind'],
        message: 'stale_object is a QuickBooks fault (Xero has no SyncToken)',
      });
    if (f.kind === 'drop_webhook' && f.calls !== undefined)
      c.addIssue({ code: 'custom', path: ['calls'], message: 'calls applies to API calls, not to webhooks' });
    if (f.kind === 'status' && f.status === undefined)
      c.addIssue({
        code: 'custom',
        path: ['status'],
        message: 'a status fault needs status 500, 429 or 401',
      });
    if (f.kind === 'latency' && f.latencyMs === undefined)
      c.addIssue({ code: 'custom', path: ['latencyMs'], message: 'a latency fault needs latencyMs' });
    if (f.kind !== 'status' && f.status !== undefined)
      c.addIssue({ code: 'custom', path: ['status'], message: 'only a status fault takes status' });
    if (f.kind !== 'latency' && f.latencyMs !== undefined)
      c.addIssue({ code: 'custom', path: ['latencyMs'], message: 'only a latency fault takes latencyMs' });
  });

const reconcileBody = z.object({ reconciled: z.boolean().default(true) }).strict();
const revokeBody = z.object({ provider, companyId: id }).strict();
const expireBody = z.object({ provider: provider.optional() }).strict();
const TEN_YEARS = 10 * 366 * 86_400_000;
const clockBody = z
  .object({
    advanceMs: z.number().int().min(0).max(TEN_YEARS).optional(),
    offsetMs: z.number().int().min(-TEN_YEARS).max(TEN_YEARS).optional(),
  })
  .strict()
  .refine(
    (b) => (b.advanceMs === undefined) !== (b.offsetMs === undefined),
    'give either advanceMs (move forward) or offsetMs (set the offset), not both',
  );

type TxnFields = Omit<z.infer<typeof createTxnBody>, 'kind'>;

export function companySummary(l: CompanyLedger) {
  const d = l.def;
  return {
    id: d.id,
    provider: d.provider,
    name: d.name,
    legalName: d.legalName,
    country: d.country,
    currency: d.currency,
    edition: d.edition,
    classTracking: d.classTracking,
    transactions: l.count,
    uncategorizedShare: d.uncategorizedShare,
    classShare: d.classShare,
    payroll: d.payroll ?? false,
    fixedAssets: d.fixedAssets ?? false,
    accounts: l.accounts.length,
    classes: l.classes.length,
    payees: l.payees.length,
  };
}

export async function registerControl(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  await app.register(
    async (scope) => {
      controlErrors(scope, { notFound: true });

      const company = (companyId: string): CompanyLedger => {
        const c = ctx.companies.get(companyId);
        if (!c) throw notFound(`No sandbox company ${companyId}.`);
        return c;
      };
      const companyOf = (p: Provider, companyId: string): CompanyLedger => {
        const c = company(companyId);
        if (c.def.provider !== p)
          throw notFound(
            `No ${p === 'qbo' ? 'QuickBooks' : 'Xero'} company ${companyId} (it is a ${c.def.provider} company).`,
          );
        return c;
      };
      const txnOf = (c: CompanyLedger, txnId: string): Txn => {
        const t = c.txnById(txnId);
        if (!t) throw notFound(`No transaction ${txnId} in company ${c.def.id}.`);
        return t;
      };

      // ---- companies -------------------------------------------------------------------------
      scope.get('/companies', async () => ({ companies: ctx.companies.list().map(companySummary) }));

      scope.get<{ Params: { id: string } }>('/companies/:id', async (req) =>
        companySummary(company(req.params.id)),
      );

      scope.post('/companies', async (req, reply) => {
        const b = parse(createCompanyBody, req.body);
        const classTracking = b.classTracking ?? 'per_line';
        // The ledger is lazy: transaction i is generated when read, so 200,000 cost nothing here.
        const ledger = ctx.companies.add({
          provider: b.provider,
          name: b.name,
          legalName: b.legalName ?? b.name,
          country: b.country ?? 'US',
          currency: b.currency ?? 'USD',
          edition: b.edition ?? (b.provider === 'qbo' ? 'QuickBooks Online Plus' : 'STANDARD'),
          classTracking,
          transactions: b.transactions,
          uncategorizedShare: b.uncategorizedShare ?? ctx.config.SANDBOX_UNCATEGORIZED_SHARE,
          classShare: b.classShare ?? (classTracking === 'off' ? 0 : 0.5),
          payroll: b.payroll ?? false,
          fixedAssets: b.fixedAssets ?? false,
          ...(b.seed ? { seed: b.seed } : {}),
        });
        return reply.code(201).send(companySummary(ledger));
      });

      scope.get<{ Params: { id: string } }>('/companies/:id/accounts', async (req) => ({
        accounts: company(req.params.id).accounts,
      }));
      scope.get<{ Params: { id: string } }>('/companies/:id/classes', async (req) => ({
        classes: company(req.params.id).classes,
      }));
      scope.get<{ Params: { id: string } }>('/companies/:id/payees', async (req) => ({
        payees: company(req.params.id).payees,
      }));

      // ---- transactions (the neutral model, not a provider's shape) ----------------------------
      scope.get<{ Params: { id: string } }>('/companies/:id/transactions', async (req) => {
        const c = company(req.params.id);
        const { offset, limit } = parse(pageQuery, req.query, 'query');
        const transactions: Txn[] = [];
        for (let i = offset; i < Math.min(c.count, offset + limit); i++) transactions.push(c.txn(i)!);
        return { total: c.count, offset, limit, transactions };
      });

      scope.get<{ Params: { id: string; txnId: string } }>(
        '/companies/:id/transactions/:txnId',
        async (req) => {
          const c = company(req.params.id);
          return txnOf(c, req.params.txnId);
        },
      );

      scope.post<{ Params: { id: string } }>('/companies/:id/transactions', async (req, reply) => {
        const c = company(req.params.id);
        const b = parse(createTxnBody, req.body);
        const fields = checkTxn(c, b.kind, b);
        const input: TxnInput = { kind: b.kind, ...fields };
        return reply.code(201).send(c.create(input));
      });

      scope.patch<{ Params: { id: string; txnId: string } }>(
        '/companies/:id/transactions/:txnId',
        async (req) => {
          const c = company(req.params.id);
          const current = txnOf(c, req.params.txnId);
          const b = parse(patchTxnBody, req.body);
          if (current.deleted)
            throw new ControlError(409, 'deleted', `Transaction ${current.id} is deleted.`);
          if (b.kind !== undefined && b.kind !== current.kind)
            throw badRequest(
              `body.kind: a transaction's kind cannot change (it is ${current.kind}); delete it and add a new one.`,
            );
          const merged: TxnFields = {
            date: b.date ?? current.date,
            payeeId: b.payeeId !== undefined ? b.payeeId : current.payeeId,
            bankAccountId: b.bankAccountId !== undefined ? b.bankAccountId : current.bankAccountId,
            toAccountId: b.toAccountId !== undefined ? b.toAccountId : current.toAccountId,
            lines: b.lines ?? current.lines.map(({ id: _id, ...l }) => l),
            memo: b.memo ?? current.memo,
            docNumber: b.docNumber ?? current.docNumber,
          };
          const fields = checkTxn(c, current.kind, merged);
          const patch: Partial<Omit<TxnInput, 'kind'>> = {};
          for (const k of Object.keys(b) as (keyof typeof b)[])
            if (k !== 'kind') Object.assign(patch, { [k]: fields[k] });
          const updated = c.update(current.id, patch);
          if (!updated) throw notFound(`No transaction ${req.params.txnId} in company ${c.def.id}.`);
          return updated;
        },
      );

      scope.delete<{ Params: { id: string; txnId: string } }>(
        '/companies/:id/transactions/:txnId',
        async (req) => {
          const c = company(req.params.id);
          const current = txnOf(c, req.params.txnId);
          if (current.deleted)
            throw new ControlError(409, 'deleted', `Transaction ${current.id} is already deleted.`);
          return c.remove(current.id)!;
        },
      );

      // Matches (or unmatches) a Xero bank transaction with a bank statement line: Xero then refuses
      // changes to it. QuickBooks' reconciliation (cleared status per account line) is not modelled.
      scope.post<{ Params: { id: string; txnId: string } }>(
        '/companies/:id/transactions/:txnId/reconcile',
        async (req) => {
          const c = company(req.params.id);
          const current = txnOf(c, req.params.txnId);
          const b = parse(reconcileBody, req.body);
          if (c.def.provider !== 'xero')
            throw badRequest('Only Xero bank transactions can be reconciled in the sandbox.');
          if (current.kind !== 'spend' && current.kind !== 'receive')
            throw badRequest(
              `Only bank transactions (spend, receive) are reconciled; this is a ${current.kind}.`,
            );
          if (current.deleted)
            throw new ControlError(409, 'deleted', `Transaction ${current.id} is deleted.`);
          return c.setReconciled(current.id, b.reconciled)!;
        },
      );

      // ---- faults ------------------------------------------------------------------------------
      scope.post('/faults', async (req, reply) => {
        const b = parse(faultBody, req.body);
        if (b.companyId !== undefined) companyOf(b.provider, b.companyId);
        const { count, ...rest } = b;
        return reply.code(201).send(ctx.faults.add({ ...rest, remaining: count }));
      });
      scope.get('/faults', async () => ({ faults: ctx.faults.all() }));
      scope.delete('/faults', async () => {
        const cleared = ctx.faults.all().length;
        ctx.faults.clear();
        return { cleared };
      });

      // ---- grants, tokens, clock ---------------------------------------------------------------
      scope.post('/grants/revoke', async (req) => {
        const b = parse(revokeBody, req.body);
        companyOf(b.provider, b.companyId);
        return { revoked: ctx.hooks.get(b.provider)?.revokeGrants(b.companyId) ?? 0 };
      });

      scope.post('/tokens/expire', async (req) => {
        const b = parse(expireBody, req.body);
        let expired = 0;
        for (const [p, hooks] of ctx.hooks)
          if (!b.provider || b.provider === p) expired += hooks.expireAccessTokens();
        return { expired };
      });

      // Approves (or cancels) a consent as a person would, for demos and scripts: answers where the
      // browser would be sent back (the app's redirect URI with the code).
      const consentBody = z.object({
        url: z.string().url(),
        pick: z.array(z.string().min(1)).max(20).default([]),
        action: z.enum(['allow', 'cancel']).default('allow'),
      });
      scope.post('/consent', async (req) => {
        const b = parse(consentBody, req.body);
        if (!b.url.startsWith(ctx.config.url)) throw badRequest('url must be one of this sandbox’s consent pages');
        try {
          return { callbackUrl: await consentAsBrowser(b.url, b.pick, b.action) };
        } catch (err) {
          throw badRequest((err as Error).message);
        }
      });

      const clockState = () => ({ now: new Date(ctx.clock()).toISOString(), offsetMs: ctx.offsetMs });
      scope.get('/clock', async () => clockState());
      scope.post('/clock', async (req) => {
        const b = parse(clockBody, req.body);
        if (b.advanceMs !== undefined) ctx.offsetMs += b.advanceMs;
        else ctx.offsetMs = b.offsetMs!;
        return clockState();
      });
    },
    { prefix: '/control' },
  );
}

/**
 * Checks a transaction against its company (every id must exist, journals must balance, Xero has
 * only its four kinds) and returns the model's input, with the main bank account filled in where
 * the kind needs one.
 */
function checkTxn(c: CompanyLedger, kind: TxnKind, b: TxnFields): Omit<TxnInput, 'kind'> {
  const problems: string[] = [];
  if (c.def.provider === 'xero' && !XERO_KINDS.includes(kind))
    problems.push(`kind: a Xero company has only ${XERO_KINDS.join(', ')} transactions`);
  const moneyAccount = (field: 'bankAccountId' | 'toAccountId', value: string | null | undefined) => {
    if (!value) return;
    const a = c.account(value);
    if (!a) problems.push(`${field}: no account ${value}`);
    else if (a.kind !== 'bank' && a.kind !== 'credit_card')
      problems.push(`${field}: account ${value} (${a.name}) is not a bank or credit card account`);
  };
  let bankAccountId = b.bankAccountId ?? null;
  if (!bankAccountId && BANK_KINDS.includes(kind))
    bankAccountId = c.accounts.find((a) => a.kind === 'bank' && a.active && !a.uncategorized)?.id ?? null;
  moneyAccount('bankAccountId', bankAccountId);
  moneyAccount('toAccountId', b.toAccountId);
  if (kind === 'transfer') {
    if (!b.toAccountId) problems.push('toAccountId: a transfer needs the account it goes to');
    else if (b.toAccountId === bankAccountId)
      problems.push('toAccountId: a transfer goes to another account than bankAccountId');
  }
  if (b.payeeId && !c.payee(b.payeeId)) problems.push(`payeeId: no payee ${b.payeeId}`);
  b.lines.forEach((l, n) => {
    if (!c.account(l.accountId)) problems.push(`lines.${n}.accountId: no account ${l.accountId}`);
    if (l.classId && !c.klass(l.classId))
      problems.push(
        `lines.${n}.classId: no class ${l.classId}${c.classes.length ? '' : ' (class tracking is off in this company)'}`,
      );
    if (kind !== 'journal' && l.posting)
      problems.push(`lines.${n}.posting: only journal lines are debits or credits`);
    if (kind === 'journal' && !l.posting)
      problems.push(`lines.${n}.posting: a journal line is a debit or a credit`);
  });
  if (kind === 'journal') {
    const sum = (p: 'debit' | 'credit') =>
      b.lines.filter((l) => l.posting === p).reduce((s, l) => s + l.amountMinor, 0);
    if (b.lines.length < 2) problems.push('lines: a journal needs at least a debit and a credit line');
    else if (sum('debit') !== sum('credit'))
      problems.push(`lines: a journal must balance (debits ${sum('debit')}, credits ${sum('credit')})`);
  }
  if (problems.length) throw badRequest(problems.map((p) => `body.${p}`).join('; '));
  return {
    date: b.date,
    payeeId: b.payeeId ?? null,
    bankAccountId,
    toAccountId: b.toAccountId ?? null,
    lines: b.lines.map((l) => ({
      accountId: l.accountId,
      classId: l.classId ?? null,
      amountMinor: l.amountMinor,
      description: l.description ?? '',
      ...(l.posting ? { posting: l.posting } : {}),
    })),
    memo: b.memo ?? '',
    docNumber: b.docNumber ?? '',
  };
}
