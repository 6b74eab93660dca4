import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallKind, SandboxContext } from '../context';
import { type CompanyLedger, type LineInput, SyncTokenMismatch } from '../model/company-ledger';
import type { Txn } from '../model/ledger';
import { changeDataCapture } from './cdc';
import {
  canonicalEntity,
  isTxnEntity,
  KIND_OF_ENTITY,
  type QboObject,
  QboRenderer,
  type TxnEntity,
} from './entities';
import { faults, QboFault, qboTime, sendFault } from './errors';
import type { RealmLimits } from './limits';
import type { QboOAuth } from './oauth';
import { runQuery, validateQuery } from './query-engine';
import { balanceSheet, profitAndLoss, type ReportParams } from './reports';

interface RealmParams {
  realmId: string;
}

type Params = RealmParams & Record<string, string>;
type Handler = (args: {
  req: FastifyRequest;
  params: Params;
  ledger: CompanyLedger;
  render: QboRenderer;
  now: number;
}) => Promise<unknown> | unknown;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The entities that can be written (sparse updates, for write-back), with the line detail that
 * carries each line's account.
 */
const LINE_DETAIL: Partial<Record<TxnEntity, string>> = {
  Purchase: 'AccountBasedExpenseLineDetail',
  Bill: 'AccountBasedExpenseLineDetail',
  Deposit: 'DepositLineDetail',
  JournalEntry: 'JournalEntryLineDetail',
};

export function registerQboApi(
  app: FastifyInstance,
  ctx: SandboxContext,
  oauth: QboOAuth,
  limits: RealmLimits,
): void {
  const renderers = new WeakMap<CompanyLedger, QboRenderer>();
  const rendererOf = (l: CompanyLedger) => {
    let r = renderers.get(l);
    if (!r) renderers.set(l, (r = new QboRenderer(l)));
    return r;
  };
  const time = () => qboTime(ctx.clock(), true);

  /** Authentication, the realm's throttles, faults on demand, then the handler; errors in the Fault shape. */
  const v3 = (handler: Handler, call?: CallKind) => async (req: FastifyRequest, reply: FastifyReply) => {
    const params = req.params as Params;
    const { realmId } = params;
    const auth = oauth.authenticate(req.headers.authorization);
    if (!auth.ok) {
      const detail = {
        missing: 'Authorization header missing or not a Bearer token',
        unknown: 'Token invalid',
        expired: 'Token expired',
        revoked: 'Token revoked',
      }[auth.reason];
      return sendFault(reply, faults.authenticationFailed(detail), time());
    }
    if (auth.grant.realmId !== realmId)
      return sendFault(
        reply,
        faults.authorizationFailed(`The token does not grant access to realm ${realmId}`),
        time(),
      );
    const ledger = ctx.companies.get(realmId);
    if (!ledger || ledger.def.provider !== 'qbo')
      return sendFault(reply, faults.authorizationFailed(`Unknown realm ${realmId}`), time());
    const admission = limits.acquire(realmId);
    if (!admission.ok) {
      return sendFault(
        reply,
        faults.throttled(
          admission.reason === 'rate'
            ? 'The request limit was reached: 500 requests per minute per company.'
            : 'The request limit was reached: 10 concurrent requests per company.',
        ),
        time(),
      );
    }
    try {
      const latency = ctx.faults.take('qbo', 'latency', realmId, call);
      if (latency?.latencyMs) await sleep(latency.latencyMs);
      const status = ctx.faults.take('qbo', 'status', realmId, call);
      if (status?.status === 500) return sendFault(reply, faults.service(), time());
      if (status?.status === 429) return sendFault(reply, faults.throttled(), time());
      if (status?.status === 401)
        return sendFault(reply, faults.authenticationFailed('Token expired'), time());
      const result = await handler({ req, params, ledger, render: rendererOf(ledger), now: ctx.clock() });
      return reply.send(result);
    } catch (e) {
      if (e instanceof QboFault) return sendFault(reply, e, time());
      ctx.log.error({ err: e }, 'QuickBooks sandbox handler failed');
      return sendFault(reply, faults.service(), time());
    } finally {
      admission.release();
    }
  };

  const base = '/v3/company/:realmId';

  app.get(
    `${base}/companyinfo/:id`,
    v3(({ params, ledger, render }) => {
      if (params.id !== ledger.def.id) throw faults.notFound(`Object Not Found : CompanyInfo ${params.id}`);
      return { CompanyInfo: render.companyInfo(), time: time() };
    }),
  );

  app.get<{ Params: RealmParams }>(
    `${base}/preferences`,
    v3(({ render }) => ({ Preferences: render.preferences(), time: time() })),
  );

  const query = v3(({ req, ledger, render }) => {
    const q =
      req.method === 'GET'
        ? (req.query as { query?: string }).query
        : typeof req.body === 'string'
          ? req.body
          : undefined;
    if (!q) throw faults.required('query');
    return { ...runQuery(ledger, render, validateQuery(q)), time: time() };
  });
  app.get<{ Params: RealmParams }>(`${base}/query`, query);
  app.post<{ Params: RealmParams }>(`${base}/query`, query);

  app.get<{ Params: RealmParams }>(
    `${base}/cdc`,
    v3(({ req, ledger, render, now }) => {
      const { entities, changedSince } = req.query as { entities?: string; changedSince?: string };
      return { ...changeDataCapture(ledger, render, entities, changedSince, now), time: time() };
    }),
  );

  app.get(
    `${base}/reports/:report`,
    v3(({ req, params, ledger, now }) => {
      const options = req.query as ReportParams;
      if (params.report === 'ProfitAndLoss') return profitAndLoss(ledger, options, now);
      if (params.report === 'BalanceSheet') return balanceSheet(ledger, options, now);
      throw faults.invalidRequest(
        `Report ${params.report} is not supported by the sandbox (ProfitAndLoss, BalanceSheet)`,
      );
    }),
  );

  app.get(
    `${base}/:entity/:id`,
    v3(({ params, ledger, render }) => {
      const entity = canonicalEntity(params.entity);
      if (!entity) throw faults.invalidRequest(`Unsupported entity ${params.entity}`);
      const { id } = params;
      let obj: QboObject | undefined;
      if (isTxnEntity(entity)) {
        const t = ledger.txnById(id);
        if (t && !t.deleted && t.kind === KIND_OF_ENTITY[entity]) obj = render.txn(t);
      } else if (entity === 'Account') {
        const a = ledger.account(id);
        if (a) obj = render.account(a);
      } else if (entity === 'Class') {
        const c = ledger.klass(id);
        if (c) obj = render.klass(c);
      } else {
        const p = ledger.payee(id);
        if (p && p.kind === (entity === 'Vendor' ? 'vendor' : 'customer')) obj = render.payee(p);
      }
      if (!obj) throw faults.notFound(`Object Not Found : ${entity} ${id} was not found or was deleted`);
      return { [entity]: obj, time: time() };
    }),
  );

  // Updates (QuickBooks documents them as a POST of the object with its Id and SyncToken to the
  // entity's endpoint; `?operation=update` is accepted too). Every update here is sparse.
  app.post(
    `${base}/:entity`,
    v3(({ req, params, ledger, render }) => {
      const entity = canonicalEntity(params.entity);
      if (!entity || !isTxnEntity(entity) || !LINE_DETAIL[entity]) {
        throw faults.invalidRequest(
          `The sandbox writes only Purchase, Bill, Deposit and JournalEntry (sparse updates), not ${params.entity}`,
        );
      }
      const operation = (req.query as { operation?: string }).operation;
      if (operation && operation !== 'update')
        throw faults.invalidRequest(`operation=${operation} is not supported by the sandbox (only update)`);
      const body = req.body as QboObject | undefined;
      if (!body || typeof body !== 'object')
        throw faults.invalidRequest('The request body must be a JSON object');
      if (body.Id === undefined)
        throw faults.invalidRequest(
          `The sandbox does not create ${entity} objects: send Id and SyncToken to update one`,
        );
      if (body.SyncToken === undefined) throw faults.required('SyncToken');
      const current = ledger.txnById(String(body.Id));
      if (!current || current.deleted || current.kind !== KIND_OF_ENTITY[entity])
        throw faults.notFound(`Object Not Found : ${entity} ${body.Id} was not found or was deleted`);
      const expected = Number(body.SyncToken);
      if (!Number.isInteger(expected))
        throw faults.invalidRequest('SyncToken must be a number in a string, such as "0"');
      const patch: { lines?: LineInput[]; memo?: string; date?: string; docNumber?: string } = {};
      if (body.Line !== undefined) patch.lines = parseLines(ledger, entity, current, body.Line);
      if (typeof body.PrivateNote === 'string') patch.memo = body.PrivateNote;
      if (typeof body.DocNumber === 'string') patch.docNumber = body.DocNumber;
      if (body.TxnDate !== undefined) {
        if (typeof body.TxnDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(body.TxnDate))
          throw faults.invalidRequest('TxnDate must be a date such as 2026-11-23');
        patch.date = body.TxnDate;
      }
      // An injected conflict answers as if someone else had saved the transaction just before.
      if (ctx.faults.take('qbo', 'stale_object', ledger.def.id, 'update')) throw faults.staleObject();
      let updated: Txn | undefined;
      try {
        updated = ledger.update(current.id, patch, expected);
      } catch (e) {
        if (e instanceof SyncTokenMismatch) throw faults.staleObject();
        throw e;
      }
      if (!updated) throw faults.notFound();
      return { [entity]: render.txn(updated), time: time() };
    }, 'update'),
  );

  // Every QuickBooks response carries an intuit_tid (the SDK reports it with errors).
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/v3/') || req.url.startsWith('/qbo/')) reply.header('intuit_tid', randomUUID());
  });
}

/** A JSON amount in cents, without float drift ("12.345" style values are rounded half away from zero). */
function cents(value: unknown): number | undefined {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  if (!Number.isFinite(n)) return undefined;
  const scaled = Number((Math.abs(n) * 100).toFixed(6));
  return Math.sign(n) * Math.round(scaled);
}

/**
 * The Line array of an update replaces the transaction's lines, as in QuickBooks: lines left out
 * are deleted, and each line sent is written as sent (its Amount, its detail's AccountRef and
 * ClassRef, its Description; what it leaves out is gone). A line with an Id restates that line
 * and keeps the Id; one without is new. Account and class references must exist, and a journal
 * must still balance.
 */
function parseLines(ledger: CompanyLedger, entity: TxnEntity, current: Txn, raw: unknown): LineInput[] {
  if (!Array.isArray(raw) || !raw.length) throw faults.invalidRequest('Line must be a non-empty array');
  const detailName = LINE_DETAIL[entity]!;
  const lines = raw.map((line: QboObject, n): LineInput => {
    if (!line || typeof line !== 'object') throw faults.invalidRequest(`Line[${n}] must be an object`);
    const existing = line.Id !== undefined ? current.lines.find((l) => l.id === String(line.Id)) : undefined;
    if (line.Id !== undefined && !existing)
      throw faults.invalidReference(
        `Line Id ${line.Id} is not a line of ${entity} ${current.id}`,
        `Line[${n}].Id`,
      );
    if (line.DetailType !== undefined && line.DetailType !== detailName)
      throw faults.invalidRequest(
        `Line[${n}].DetailType ${String(line.DetailType)} is not supported by the sandbox for ${entity} (${detailName})`,
      );
    const detail = line[detailName];
    if (!detail || typeof detail !== 'object') throw faults.required(`Line[${n}].${detailName}`);
    const accountId = detail.AccountRef?.value !== undefined ? String(detail.AccountRef.value) : undefined;
    if (!accountId) throw faults.required(`Line[${n}].${detailName}.AccountRef`);
    const account = ledger.account(accountId);
    if (!account || !account.active)
      throw faults.invalidReference(
        `Invalid Reference Id : Accounts element id ${accountId} not found`,
        `Line[${n}].${detailName}.AccountRef`,
      );
    const ref = detail.ClassRef;
    const classId =
      ref && ref.value !== undefined && ref.value !== null && ref.value !== '' ? String(ref.value) : null;
    if (classId) {
      if (ledger.def.classTracking === 'off')
        throw faults.invalidRequest('Class tracking is turned off for this company');
      if (!ledger.klass(classId))
        throw faults.invalidReference(
          `Invalid Reference Id : Classes element id ${classId} not found`,
          `Line[${n}].${detailName}.ClassRef`,
        );
    }
    if (line.Amount === undefined) throw faults.required(`Line[${n}].Amount`);
    const amountMinor = cents(line.Amount);
    if (amountMinor === undefined || amountMinor < 0)
      throw faults.invalidRequest(`Line[${n}].Amount must be a non-negative number`);
    let posting: 'debit' | 'credit' | undefined;
    if (entity === 'JournalEntry') {
      if (detail.PostingType !== 'Debit' && detail.PostingType !== 'Credit')
        throw faults.required(`Line[${n}].${detailName}.PostingType`);
      posting = detail.PostingType === 'Credit' ? 'credit' : 'debit';
    }
    return {
      ...(existing ? { id: existing.id } : {}),
      accountId,
      classId,
      amountMinor,
      description: typeof line.Description === 'string' ? line.Description : '',
      ...(posting ? { posting } : {}),
    };
  });
  const ids = lines.filter((l) => l.id !== undefined).map((l) => l.id);
  if (new Set(ids).size !== ids.length) throw faults.invalidRequest('A line Id appears twice in Line');
  if (entity === 'JournalEntry') {
    const sum = (p: 'debit' | 'credit') =>
      lines.filter((l) => l.posting === p).reduce((s, l) => s + l.amountMinor, 0);
    if (sum('debit') !== sum('credit')) throw faults.unbalanced();
  }
  return lines;
}
