import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BackgroundWork } from '@ledgerport/server/access';
import { PasswordHasher } from '@ledgerport/server/auth';
import { createApp } from '../src/bootstrap';
import { consentAsBrowser } from '../../ledger-sandbox/src/testing';

export const TEST_PASSWORD = 'correct-horse-battery';

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  remoteAddress?: string;
  /** Leave out the CSRF header even if the agent has one. */
  noCsrf?: boolean;
}

/** A browser-like caller: keeps the session cookie and sends the CSRF token on writes. */
export class Agent {
  /** Cookies by name (the staff session `lp_session`, the portal session `lp_portal`, …). */
  cookies: Record<string, string> = {};
  csrf?: string;

  /** The Cookie header this agent sends, or undefined when it holds none. */
  get cookie(): string | undefined {
    const pairs = Object.entries(this.cookies).map(([k, v]) => `${k}=${v}`);
    return pairs.length ? pairs.join('; ') : undefined;
  }

  set cookie(value: string | undefined) {
    this.cookies = {};
    for (const pair of value?.split(/;\s*/) ?? []) {
      const i = pair.indexOf('=');
      if (i > 0) this.cookies[pair.slice(0, i)] = pair.slice(i + 1);
    }
  }

  constructor(private readonly ctx: TestContext) {}

  async request<T = any>(method: string, url: string, opts: RequestOptions = {}): Promise<Res<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && !opts.noCsrf && !['GET', 'HEAD'].includes(method)) headers['x-csrf-token'] = this.csrf;
    let payload: string | undefined;
    if (opts.rawBody !== undefined) payload = opts.rawBody;
    else if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await this.ctx.app.inject({
      method: method as 'GET',
      url,
      headers,
      payload,
      remoteAddress: opts.remoteAddress ?? '127.0.0.1',
    });
    const setCookie = res.headers['set-cookie'];
    for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const [name, value] = [pair.slice(0, i), pair.slice(i + 1)];
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === '') delete this.cookies[name];
      else this.cookies[name] = value;
    }
    const body = res.body && String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body;
    this.ctx.record(method, url, res.statusCode, body);
    // Some answers start work they do not wait for (e.g. emailing a sign-in link): let it finish, so
    // a test sees its effects, as a person would a moment later.
    await this.ctx.settle();
    return { status: res.statusCode, body, headers: res.headers };
  }

  get = <T = any>(url: string, o?: RequestOptions) => this.request<T>('GET', url, o);
  post = <T = any>(url: string, body?: unknown, o?: RequestOptions) => this.request<T>('POST', url, { ...o, body });
  patch = <T = any>(url: string, body?: unknown, o?: RequestOptions) => this.request<T>('PATCH', url, { ...o, body });
  put = <T = any>(url: string, body?: unknown, o?: RequestOptions) => this.request<T>('PUT', url, { ...o, body });
  delete = <T = any>(url: string, o?: RequestOptions) => this.request<T>('DELETE', url, o);
}

export interface TestFirm {
  id: string;
  name: string;
  slug: string;
  admin: { id: string; email: string; name: string };
  clients: { id: string; name: string }[];
}

/**
 * The real API (Fastify, PostgreSQL, Redis) in-process, with factories that write fixtures
 * straight to the database. Fails the test file if any request answered 5xx.
 */
export class TestContext {
  app!: NestFastifyApplication;
  db!: DataSource;
  private passwordHash?: string;
  private readonly serverErrors: string[] = [];

  static async start(env: Record<string, string> = {}): Promise<TestContext> {
    const ctx = new TestContext();
    Object.assign(process.env, { LOGIN_MAX_FAILURES_PER_IP: '100000', ...env });
    ctx.app = await createApp({ logger: false });
    await ctx.app.init();
    await ctx.app.getHttpAdapter().getInstance().ready();
    ctx.db = ctx.app.get<DataSource>(getDataSourceToken());
    return ctx;
  }

  /** Waits until the background work requests started (see BackgroundWork) has finished. */
  settle(): Promise<void> {
    return this.app.get(BackgroundWork).idle();
  }

  record(method: string, url: string, status: number, body: unknown): void {
    if (status >= 500) this.serverErrors.push(`${method} ${url} → ${status} ${JSON.stringify(body)}`);
  }

  async close(): Promise<void> {
    await this.app.close();
    if (this.serverErrors.length) throw new Error(`Requests answered 5xx:\n${this.serverErrors.join('\n')}`);
  }

  agent(): Agent {
    return new Agent(this);
  }

  unique(prefix: string): string {
    return `${prefix}-${randomUUID().slice(0, 8)}`;
  }

  private async hash(): Promise<string> {
    this.passwordHash ??= await new PasswordHasher().hash(TEST_PASSWORD);
    return this.passwordHash;
  }

  /** An approved firm with an active admin (password TEST_PASSWORD) and the named clients. */
  async newFirm(opts: { clients?: string[] } = {}): Promise<TestFirm> {
    const name = this.unique('Firm');
    const slug = name.toLowerCase();
    const email = `${this.unique('admin')}@firm.test`;
    const [firm] = await this.db.query(
      `INSERT INTO firms (name, slug, status, contact_name, contact_email, phone, size, approved_at)
       VALUES ($1, $2, 'approved', 'Admin Person', $3, '+1 555 0100', '2-5', now()) RETURNING id`,
      [name, slug, email],
    );
    const [admin] = await this.db.query(
      `INSERT INTO users (firm_id, email, name, role, password_hash, activated_at) VALUES ($1, $2, 'Admin Person', 'admin', $3, now()) RETURNING id`,
      [firm.id, email, await this.hash()],
    );
    const clients = [];
    for (const c of opts.clients ?? ['Client One', 'Client Two']) clients.push(await this.newClient(firm.id, c));
    return { id: firm.id, name, slug, admin: { id: admin.id, email, name: 'Admin Person' }, clients };
  }

  async newClient(firmId: string, name = this.unique('Client')): Promise<{ id: string; name: string }> {
    const [c] = await this.db.query(`INSERT INTO clients (firm_id, name) VALUES ($1, $2) RETURNING id, name`, [firmId, name]);
    return c;
  }

  /** An active staff member (password TEST_PASSWORD) assigned to the given clients. */
  async newStaff(firm: TestFirm, clientIds: string[] = [], role: 'staff' | 'admin' = 'staff') {
    const email = `${this.unique('staff')}@firm.test`;
    const [u] = await this.db.query(
      `INSERT INTO users (firm_id, email, name, role, password_hash, activated_at) VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
      [firm.id, email, `Staff ${email.slice(6, 10)}`, role, await this.hash()],
    );
    for (const clientId of clientIds) {
      await this.db.query(`INSERT INTO client_assignments (client_id, user_id, firm_id) VALUES ($1, $2, $3)`, [clientId, u.id, firm.id]);
    }
    return { id: u.id as string, email };
  }

  /** Signs in through the real endpoint and returns an agent holding the cookie and CSRF token. */
  async signIn(email: string, password = TEST_PASSWORD): Promise<Agent> {
    const a = this.agent();
    const res = await a.post('/api/v1/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    a.csrf = res.body.csrfToken;
    return a;
  }

  /**
   * Runs requests while a transaction of our own holds a lock they need (or an uncommitted row
   * that conflicts with theirs), waits until they are blocked on it, then commits: a race,
   * made deterministic without sleeping.
   */
  async whileHeld(sql: string, params: unknown[], blocked: number, start: () => Promise<Res>[]): Promise<Res[]> {
    const qr = this.db.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      await qr.query(sql, params);
      const [{ pid }] = await qr.query(`SELECT pg_backend_pid() AS pid`);
      let settled = 0;
      const pending = start().map((p) => p.finally(() => settled++));
      for (;;) {
        // waiting on us, or queued behind someone who is
        const [{ n }] = await this.db.query(
          `WITH RECURSIVE blocked(pid) AS (
             SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))
             UNION SELECT a.pid FROM pg_stat_activity a JOIN blocked b ON b.pid = ANY(pg_blocking_pids(a.pid)))
           SELECT count(*)::int AS n FROM blocked`,
          [pid],
        );
        if (n >= blocked || settled === pending.length) break;
      }
      await qr.commitTransaction();
      return await Promise.all(pending);
    } finally {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      await qr.release();
    }
  }

  /** The newest dev-outbox email to an address, and the first link in it. */
  async lastEmail(to: string): Promise<{ subject: string; text: string; link?: string }> {
    const [row] = await this.db.query(
      `SELECT subject, text_body FROM outbound_emails WHERE to_address = $1 ORDER BY created_at DESC LIMIT 1`,
      [to.toLowerCase()],
    );
    if (!row) throw new Error(`no email to ${to}`);
    return { subject: row.subject, text: row.text_body, link: row.text_body.match(/https?:\/\/\S+/)?.[0] };
  }
}

export const tokenFrom = (link: string): string => new URL(link).searchParams.get('token') as string;

/** Status and code together, so a failure shows both. */
export function expectError(res: Res, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.body.statusCode).toBe(status);
  expect(typeof res.body.message).toBe('string');
}

/* ---------- Client portal helpers (portal-*.int-spec.ts) ---------- */

/** The answer to a request sent with raw bytes, with the answer's own bytes (for images). */
export interface BytesRes<T = any> extends Res<T> {
  bytes: Buffer;
}

/**
 * Sends raw bytes (an upload such as the portal logo) the way `agent` would: its cookies, and its
 * CSRF token on writes unless `noCsrf`. Keeps the answer's bytes; a JSON answer is parsed into body.
 */
export async function requestBytes<T = any>(
  ctx: TestContext,
  agent: Agent | undefined,
  method: string,
  url: string,
  opts: { payload?: Buffer; contentType?: string; noCsrf?: boolean } = {},
): Promise<BytesRes<T>> {
  const headers: Record<string, string> = {};
  if (agent?.cookie) headers.cookie = agent.cookie;
  if (agent?.csrf && !opts.noCsrf && !['GET', 'HEAD'].includes(method)) headers['x-csrf-token'] = agent.csrf;
  if (opts.contentType) headers['content-type'] = opts.contentType;
  const res = await ctx.app.inject({ method: method as 'GET', url, headers, payload: opts.payload, remoteAddress: '127.0.0.1' });
  const body = String(res.headers['content-type'] ?? '').includes('json') && res.body ? res.json() : res.body;
  ctx.record(method, url, res.statusCode, body);
  return { status: res.statusCode, body, headers: res.headers, bytes: res.rawPayload };
}

/**
 * Invites a person to a client's portal through the console API as `staff` and returns the
 * contact (ContactDto) and the token of the emailed sign-in link.
 */
export async function inviteContact(
  ctx: TestContext,
  staff: Agent,
  clientId: string,
  body: { name: string; email: string; title?: string | null; role?: 'owner' | 'member' },
): Promise<{ contact: any; token: string; link: string }> {
  const res = await staff.post(`/api/v1/clients/${clientId}/contacts`, body);
  if (res.status !== 201) throw new Error(`inviting ${body.email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const mail = await ctx.lastEmail(body.email.trim());
  return { contact: res.body, token: tokenFrom(mail.link as string), link: mail.link as string };
}

/** Uses a portal sign-in link and returns an agent holding the lp_portal cookie and the CSRF token. */
export async function portalSignIn(ctx: TestContext, token: string): Promise<{ agent: Agent; session: any }> {
  const agent = ctx.agent();
  const res = await agent.post('/api/v1/portal/auth/sign-in-link/sign-in', { token });
  if (res.status !== 200) throw new Error(`portal sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  agent.csrf = res.body.csrfToken;
  return { agent, session: res.body };
}

/** Moves the clock that judges link and session expiry (the app must run with TEST_CLOCK=true). */
export async function setClock(ctx: TestContext, offsetMs: number): Promise<void> {
  const res = await ctx.agent().put('/api/v1/testing/clock', { offsetMs });
  if (res.status !== 200) throw new Error(`moving the clock failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A URL's path and query (the agents take paths). */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/**
 * The whole connect journey of the console's popup: start, consent at the sandbox as a browser
 * would (pick the company, press Connect / Allow access), back to the callback.
 */
export async function connectLedger(agent: Agent, sandboxUrl: string, clientId: string, provider: 'qbo' | 'xero', company: string) {
  const start = await agent.get(`/api/v1/clients/${clientId}/connection/connect?provider=${provider}`);
  if (start.status !== 302) throw new Error(`starting the connection failed: ${start.status}`);
  const consentUrl = String(start.headers.location);
  if (!consentUrl.startsWith(sandboxUrl)) throw new Error(`the consent page is not the sandbox's: ${consentUrl}`);
  const back = await consentAsBrowser(consentUrl, [company]);
  const callbackPath = pathOf(back);
  return { back, callbackPath, callback: await agent.get(callbackPath) };
}
