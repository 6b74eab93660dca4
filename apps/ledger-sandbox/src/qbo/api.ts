import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context';
import { type CompanyLedger, SyncTokenMismatch } from '../model/company-ledger';
import type { Txn, TxnLine } from '../model/ledger';
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

/** The entities that can be written (sparse update of lines, for write-back). */
const UPDATABLE: readonly TxnEntity[] = ['Purchase', 'Deposit'];

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
  const v3 = (handler: Handler) => async (req: FastifyRequest, reply: FastifyReply) => {
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
      const latency = ctx.faults.take('qbo', 'latency', realmId);
      if (latency?.latencyMs) await sleep(latency.latencyMs);
      const status = ctx.faults.take('qbo', 'status', realmId);
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

  app.post(
    `${base}/:entity`,
    v3(({ req, params, ledger, render }) => {
      const entity = canonicalEntity(params.entity);
      if (!entity || !isTxnEntity(entity) || !UPDATABLE.includes(entity)) {
        throw faults.invalidRequest(
          `The sandbox writes only Purchase and Deposit (sparse updates of their lines), not ${params.entity}`,
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
      const patch: { lines?: Omit<TxnLine, 'id'>[]; memo?: string; date?: string; docNumber?: string } = {};
      if (body.Line !== undefined) patch.lines = parseLines(ledger, entity, current, body.Line);
      if (typeof body.PrivateNote === 'string') patch.memo = body.PrivateNote;
      if (typeof body.DocNumber === 'string') patch.docNumber = body.DocNumber;
      if (body.TxnDate !== undefined) {
        if (typeof body.TxnDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(body.TxnDate))
          throw faults.invalidRequest('TxnDate must be a date such as 2026-11-23');
        patch.date = body.TxnDate;
      }
      let updated: Txn | undefined;
      try {
        updated = ledger.update(current.id, patch, expected);
      } catch (e) {
        if (e instanceof SyncTokenMismatch) throw faults.staleObject();
        throw e;
      }
      if (!updated) throw faults.notFound();
      return { [entity]: render.txn(updated), time: time() };
    }),
  );

  // Every QuickBooks response carries an intuit_tid (the SDK reports it with errors).
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/v3/') || req.url.startsWith('/qbo/')) reply.header('intuit_tid', randomUUID());
  });
}

/**
 * The Line array of an update replaces the transaction's lines (as in QuickBooks): a line with an
 * Id keeps what it does not restate; one without is new. Account and class references must exist.
 */
function parseLines(
  ledger: CompanyLedger,
  entity: TxnEntity,
  current: Txn,
  raw: unknown,
): Omit<TxnLine, 'id'>[] {
  if (!Array.isArray(raw) || !raw.length) throw faults.invalidRequest('Line must be a non-empty array');
  const detailName = entity === 'Purchase' ? 'AccountBasedExpenseLineDetail' : 'DepositLineDetail';
  return raw.map((line: QboObject, n) => {
    if (!line || typeof line !== 'object') throw faults.invalidRequest(`Line[${n}] must be an object`);
    const existing = line.Id !== undefined ? current.lines.find((l) => l.id === String(line.Id)) : undefined;
    if (line.Id !== undefined && !existing)
      throw faults.invalidReference(
        `Line Id ${line.Id} is not a line of ${entity} ${current.id}`,
        `Line[${n}].Id`,
      );
    if (line.DetailType !== undefined && line.DetailType !== detailName)
      throw faults.invalidRequest(`Line[${n}].DetailType must be ${detailName}`);
    const detail = (line[detailName] ?? {}) as QboObject;
    const accountId =
      detail.AccountRef?.value !== undefined ? String(detail.AccountRef.value) : existing?.accountId;
    if (!accountId) throw faults.required(`Line[${n}].${detailName}.AccountRef`);
    const account = ledger.account(accountId);
    if (!account || !account.active)
      throw faults.invalidReference(
        `Invalid Reference Id : Accounts element id ${accountId} not found`,
        `Line[${n}].${detailName}.AccountRef`,
      );
    let classId: string | null = existing?.classId ?? null;
    if ('ClassRef' in detail) {
      const ref = detail.ClassRef;
      classId =
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
    }
    let amountMinor = existing?.amountMinor;
    if (line.Amount !== undefined) {
      const a = Number(line.Amount);
      if (!Number.isFinite(a) || a < 0)
        throw faults.invalidRequest(`Line[${n}].Amount must be a non-negative number`);
      amountMinor = Math.round(a * 100);
    }
    if (amountMinor === undefined) throw faults.required(`Line[${n}].Amount`);
    return {
      accountId,
      classId,
      amountMinor,
      description: typeof line.Description === 'string' ? line.Description : (existing?.description ?? ''),
    };
  });
}
