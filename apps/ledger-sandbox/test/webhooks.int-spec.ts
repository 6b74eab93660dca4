import type { FastifyInstance } from 'fastify';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSandboxConfig } from '../src/config';
import type { SandboxContext } from '../src/context';
import { buildSandbox } from '../src/server';

const QBO_VERIFIER = 'spec-qbo-verifier-token';
const XERO_KEY = 'spec-xero-webhook-key';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json: any;
}

/** A webhook receiver as the product would run one: records every request, answers as `answer` says. */
async function startReceiver() {
  const received: Received[] = [];
  const r = {
    received,
    answer: (_req: Received): number => 200,
    server: undefined as unknown as Server,
    url: '',
  };
  r.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const entry = {
        path: req.url ?? '',
        headers: req.headers,
        raw,
        json: JSON.parse(raw.toString('utf8')),
      };
      received.push(entry);
      res.writeHead(r.answer(entry)).end();
    });
  });
  await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}`;
  return r;
}

/** What a receiver must do: HMAC-SHA256 over the raw bytes, base64, compared in constant time. */
function validSignature(raw: Buffer, header: string | string[] | undefined, key: string): boolean {
  const expected = createHmac('sha256', key).update(raw).digest();
  const given = Buffer.from(String(header ?? ''), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const until = async (what: () => boolean, ms = 3000, poll?: () => Promise<unknown>) => {
  const end = Date.now() + ms;
  while ((await poll?.(), !what())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('ledger sandbox webhooks', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let app: FastifyInstance;
  let ctx: SandboxContext;
  let base: string;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const qboRequests = () => receiver.received.filter((r) => r.path === '/qbo');
  const xeroRequests = () => receiver.received.filter((r) => r.path === '/xero');
  const qbo = () => ctx.companies.list('qbo')[0];
  const xero = () => ctx.companies.list('xero')[0];
  const spend = (c: ReturnType<typeof qbo>, amountMinor = 1000) => ({
    kind: 'spend',
    date: '2026-11-20',
    lines: [{ accountId: c.accounts.find((a) => a.kind === 'expense' && !a.uncategorized)!.id, amountMinor }],
  });

  beforeAll(async () => {
    receiver = await startReceiver();
    // A receiver that does what Xero asks: 200 for a good signature, 401 for a bad one.
    receiver.answer = (r) =>
      r.path === '/xero' && !validSignature(r.raw, r.headers['x-xero-signature'], XERO_KEY) ? 401 : 200;
    const config = loadSandboxConfig({
      SANDBOX_TODAY: '2026-11-23',
      SANDBOX_SEED: 'webhooks-spec',
      SANDBOX_TRANSACTIONS: '200',
      QBO_WEBHOOK_URL: `${receiver.url}/qbo`,
      QBO_WEBHOOK_VERIFIER_TOKEN: QBO_VERIFIER,
      XERO_WEBHOOK_URL: `${receiver.url}/xero`,
      XERO_WEBHOOK_KEY: XERO_KEY,
      SANDBOX_WEBHOOK_BATCH_MS: '30',
      SANDBOX_WEBHOOK_RETRIES: '2',
      SANDBOX_WEBHOOK_RETRY_MS: '20',
    });
    ({ app, ctx } = await buildSandbox(config, { logger: false }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await new Promise((r) => receiver.server.close(r));
  });
  beforeEach(async () => {
    await call('POST', '/control/webhooks/flush');
    receiver.received.length = 0;
    await call('DELETE', '/control/webhooks');
  });

  it('runs the Xero intent-to-receive handshake when it starts listening', async () => {
    // beforeEach cleared what arrived before (its flush waits for the handshake); the result stays recorded.
    let intent: any = null;
    await until(
      () => intent !== null,
      3000,
      async () => (intent = (await call('GET', '/control/webhooks')).body.xero.intent),
    );
    expect(intent).toMatchObject({ url: `${receiver.url}/xero`, goodStatus: 200, badStatus: 401, ok: true });
  });

  it('sends signed QuickBooks notifications, legacy and CloudEvents, for an add, an edit and a delete', async () => {
    const c = qbo();
    const realm = c.def.id;
    const made = (await call('POST', `/control/companies/${realm}/transactions`, spend(c))).body;
    expect(
      (await call('PATCH', `/control/companies/${realm}/transactions/${made.id}`, { memo: 'edited' })).status,
    ).toBe(200);
    expect((await call('DELETE', `/control/companies/${realm}/transactions/${made.id}`)).status).toBe(200);
    // A receipt (Deposit) in the same company, after the batch window.
    await new Promise((r) => setTimeout(r, 60));
    const income = c.accounts.find((a) => a.kind === 'income')!;
    const deposit = (
      await call('POST', `/control/companies/${realm}/transactions`, {
        kind: 'receive',
        date: '2026-11-21',
        lines: [{ accountId: income.id, amountMinor: 5000 }],
      })
    ).body;
    await call('POST', '/control/webhooks/flush');

    const requests = qboRequests();
    expect(requests.length).toBeGreaterThanOrEqual(4); // at least two batches, each in both shapes
    for (const r of requests) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(validSignature(r.raw, r.headers['intuit-signature'], QBO_VERIFIER)).toBe(true);
      expect(validSignature(r.raw, r.headers['intuit-signature'], 'some other token')).toBe(false);
    }
    const legacy = requests.filter((r) => !Array.isArray(r.json));
    const cloud = requests.filter((r) => Array.isArray(r.json));
    expect(legacy.length).toBe(cloud.length);

    const legacyEntities = legacy.flatMap((r) => {
      expect(r.json.eventNotifications).toHaveLength(1);
      expect(r.json.eventNotifications[0].realmId).toBe(realm);
      return r.json.eventNotifications[0].dataChangeEvent.entities;
    });
    expect(legacyEntities.map((e: any) => [e.name, e.id, e.operation])).toEqual([
      ['Purchase', made.id, 'Create'],
      ['Purchase', made.id, 'Update'],
      ['Purchase', made.id, 'Delete'],
      ['Deposit', deposit.id, 'Create'],
    ]);
    for (const e of legacyEntities) expect(Number.isNaN(Date.parse(e.lastUpdated))).toBe(false);

    const events = cloud.flatMap((r) => r.json);
    expect(events.map((e: any) => [e.type, e.intuitentityid])).toEqual([
      ['qbo.purchase.created.v1', made.id],
      ['qbo.purchase.updated.v1', made.id],
      ['qbo.purchase.deleted.v1', made.id],
      ['qbo.deposit.created.v1', deposit.id],
    ]);
    for (const e of events) {
      expect(e).toMatchObject({
        specversion: '1.0',
        id: expect.any(String),
        source: expect.stringMatching(/^intuit\./),
        datacontenttype: 'application/json',
        intuitaccountid: realm,
        data: {},
      });
      expect(Number.isNaN(Date.parse(e.time))).toBe(false);
    }
    expect(new Set(events.map((e: any) => e.id)).size).toBe(events.length);

    const deliveries = (await call('GET', '/control/webhooks')).body.deliveries;
    expect(deliveries.filter((d: any) => d.provider === 'qbo').map((d: any) => d.status)).toEqual(
      Array(requests.length).fill(200),
    );
    expect(new Set(deliveries.map((d: any) => d.shape))).toEqual(new Set(['legacy', 'cloudevents']));
    expect(deliveries[0]).toMatchObject({
      url: `${receiver.url}/qbo`,
      companyId: realm,
      attempt: 1,
      at: expect.any(String),
    });
  });

  it('drops the next N deliveries on a drop_webhook fault, then delivers again', async () => {
    const c = qbo();
    expect(
      (
        await call('POST', '/control/faults', {
          provider: 'qbo',
          companyId: c.def.id,
          kind: 'drop_webhook',
          count: 1,
        })
      ).status,
    ).toBe(201);
    const dropped = (await call('POST', `/control/companies/${c.def.id}/transactions`, spend(c, 111))).body;
    await call('POST', '/control/webhooks/flush');
    expect(qboRequests()).toHaveLength(0);
    const log = (await call('GET', '/control/webhooks')).body.deliveries;
    expect(log).toEqual([
      expect.objectContaining({ shape: 'legacy', dropped: true, status: null }),
      expect.objectContaining({ shape: 'cloudevents', dropped: true, status: null }),
    ]);
    expect((await call('GET', '/control/faults')).body.faults).toEqual([]);

    const delivered = (await call('POST', `/control/companies/${c.def.id}/transactions`, spend(c, 222))).body;
    await call('POST', '/control/webhooks/flush');
    const ids = qboRequests().flatMap((r) =>
      Array.isArray(r.json)
        ? r.json.map((e: any) => e.intuitentityid)
        : r.json.eventNotifications[0].dataChangeEvent.entities.map((e: any) => e.id),
    );
    expect(ids).toEqual([delivered.id, delivered.id]);
    expect(ids).not.toContain(dropped.id);
  });

  it('retries a failed delivery with backoff', async () => {
    const c = qbo();
    let failures = 0;
    const previous = receiver.answer;
    receiver.answer = (r) => (r.path === '/qbo' && failures++ < 2 ? 503 : previous(r));
    try {
      await call('POST', `/control/companies/${c.def.id}/transactions`, spend(c, 333));
      await call('POST', '/control/webhooks/flush');
    } finally {
      receiver.answer = previous;
    }
    const attempts = (await call('GET', '/control/webhooks')).body.deliveries;
    // Both shapes went out at once and failed once each; each succeeded on its first retry.
    expect(attempts.filter((a: any) => a.status === 503)).toHaveLength(2);
    for (const shape of ['legacy', 'cloudevents']) {
      const mine = attempts.filter((a: any) => a.shape === shape);
      expect(mine.map((a: any) => [a.attempt, a.status])).toEqual([
        [1, 503],
        [2, 200],
      ]);
      expect(new Set(mine.map((a: any) => a.delivery)).size).toBe(1);
    }
    expect(qboRequests()).toHaveLength(4);
  });

  it('gives up after the configured retries when the receiver cannot be reached', async () => {
    const dead = await startReceiver();
    await new Promise((r) => dead.server.close(r));
    const c = qbo();
    const url = ctx.config.QBO_WEBHOOK_URL;
    ctx.config.QBO_WEBHOOK_URL = dead.url;
    try {
      await call('POST', `/control/companies/${c.def.id}/transactions`, spend(c, 444));
      await call('POST', '/control/webhooks/flush');
    } finally {
      ctx.config.QBO_WEBHOOK_URL = url;
    }
    const attempts = (await call('GET', '/control/webhooks')).body.deliveries.filter(
      (a: any) => a.shape === 'legacy',
    );
    expect(attempts.map((a: any) => [a.attempt, a.status])).toEqual([
      [1, null],
      [2, null],
      [3, null],
    ]);
    expect(attempts[0].error).toEqual(expect.any(String));
  });

  it('sends no Xero events for bank transactions or manual journals', async () => {
    const x = xero();
    await call('POST', `/control/companies/${x.def.id}/transactions`, spend(x));
    await call('PATCH', `/control/companies/${x.def.id}/transactions/${x.txn(0)!.id}`, { memo: 'edited' });
    await call('POST', '/control/webhooks/flush');
    expect(xeroRequests()).toHaveLength(0);
    expect(x.changesSince('2000-01-01T00:00:00Z')).toHaveLength(2);
  });

  it('confirms intent to receive against a receiver that answers 200 and 401 correctly', async () => {
    const res = await call('POST', '/control/webhooks/xero/intent');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      url: `${receiver.url}/xero`,
      goodStatus: 200,
      badStatus: 401,
      ok: true,
    });
    const [good, bad] = xeroRequests();
    for (const r of [good, bad])
      expect(r.json).toEqual({
        events: [],
        firstEventSequence: 0,
        lastEventSequence: 0,
        entropy: expect.stringMatching(/^[A-Z]{20}$/),
      });
    expect(validSignature(good.raw, good.headers['x-xero-signature'], XERO_KEY)).toBe(true);
    expect(validSignature(bad.raw, bad.headers['x-xero-signature'], XERO_KEY)).toBe(false);
    const state = (await call('GET', '/control/webhooks')).body;
    expect(state.xero.intent).toMatchObject({ ok: true });
    expect(state.deliveries.map((d: any) => [d.shape, d.status, d.url])).toEqual([
      ['xero_intent', 200, `${receiver.url}/xero`],
      ['xero_intent_bad_signature', 401, `${receiver.url}/xero`],
    ]);
  });

  it('reports a receiver that accepts a bad signature (or refuses a good one)', async () => {
    const previous = receiver.answer;
    try {
      receiver.answer = () => 200;
      const lax = await call('POST', '/control/webhooks/xero/intent');
      expect(lax.body).toMatchObject({
        goodStatus: 200,
        badStatus: 200,
        ok: false,
        message: expect.stringContaining('401'),
      });
      receiver.answer = () => 401;
      const strict = await call('POST', '/control/webhooks/xero/intent');
      expect(strict.body).toMatchObject({ goodStatus: 401, badStatus: 401, ok: false });
    } finally {
      receiver.answer = previous;
    }
    expect((await call('GET', '/control/webhooks')).body.xero.intent.ok).toBe(false);
    // Handshake requests are not retried: two per run.
    expect(xeroRequests()).toHaveLength(4);
  });

  it('watches companies created through the control API', async () => {
    const made = (
      await call('POST', '/control/companies', { provider: 'qbo', name: 'Webhook Co', transactions: 10 })
    ).body;
    const c = ctx.companies.get(made.id)!;
    const txn = (await call('POST', `/control/companies/${made.id}/transactions`, spend(c))).body;
    await call('POST', '/control/webhooks/flush');
    expect(
      qboRequests().map((r) =>
        Array.isArray(r.json) ? r.json[0].intuitaccountid : r.json.eventNotifications[0].realmId,
      ),
    ).toEqual([made.id, made.id]);
    expect(qboRequests().some((r) => Array.isArray(r.json) && r.json[0].intuitentityid === txn.id)).toBe(
      true,
    );
  });

  it('sends nothing and refuses the handshake when no webhook URL is configured', async () => {
    const quiet = await buildSandbox(
      loadSandboxConfig({ SANDBOX_TODAY: '2026-11-23', SANDBOX_TRANSACTIONS: '20' }),
      { logger: false },
    );
    try {
      const c = quiet.ctx.companies.list('qbo')[0];
      const res = await quiet.app.inject({
        method: 'POST',
        url: `/control/companies/${c.def.id}/transactions`,
        payload: spend(c),
      });
      expect(res.statusCode).toBe(201);
      const state = (await quiet.app.inject({ method: 'GET', url: '/control/webhooks' })).json();
      expect(state).toMatchObject({
        qbo: { url: null },
        xero: { url: null, intent: null },
        pending: 0,
        deliveries: [],
      });
      const intent = await quiet.app.inject({ method: 'POST', url: '/control/webhooks/xero/intent' });
      expect(intent.statusCode).toBe(409);
      expect(intent.json()).toEqual({ error: 'not_configured', message: expect.any(String) });
    } finally {
      await quiet.app.close();
    }
  });
});
