import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted HTTP server on 127.0.0.1 for the adapters' unit specs: each expected request gets a
 * canned answer, so the real SDKs (intuit-oauth, xero-node, openid-client) run unchanged over real
 * sockets. (It stands in for nock: nock 15 is ESM-only and needs Node 22's Promise.withResolvers.)
 */
export interface StubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export type StubAnswer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Drop the connection without an answer (a network failure). */
  | 'reset';

interface Route {
  method: string;
  path: string | RegExp;
  answer: (req: StubRequest) => StubAnswer;
  times: number;
}

export class HttpStub {
  url = '';
  readonly requests: StubRequest[] = [];
  /** Requests no route expected ("METHOD /path"). */
  readonly unexpected: string[] = [];
  private routes: Route[] = [];
  private server?: Server;

  /** Answers the next `times` requests to `method path` (path without the query). */
  on(
    method: string,
    path: string | RegExp,
    answer: StubAnswer | ((req: StubRequest) => StubAnswer),
    times = 1,
  ): this {
    this.routes.push({ method, path, answer: typeof answer === 'function' ? answer : () => answer, times });
    return this;
  }

  /** Routes still waiting for their requests. */
  pending(): string[] {
    return this.routes.filter((r) => r.times > 0).map((r) => `${r.method} ${String(r.path)}`);
  }

  /** Forgets every route and request; answers what was pending or unexpected. */
  reset(): { pending: string[]; unexpected: string[] } {
    const out = { pending: this.pending(), unexpected: [...this.unexpected] };
    this.routes = [];
    this.requests.length = 0;
    this.unexpected.length = 0;
    return out;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://stub.invalid');
        const request: StubRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(request);
        const route = this.routes.find(
          (r) =>
            r.times > 0 &&
            r.method === request.method &&
            (typeof r.path === 'string' ? r.path === request.path : r.path.test(request.path)),
        );
        if (!route) {
          this.unexpected.push(`${request.method} ${request.path}`);
          res.writeHead(599, { 'content-type': 'text/plain' }).end('no stub for this request');
          return;
        }
        route.times -= 1;
        let answer: StubAnswer;
        try {
          answer = route.answer(request);
        } catch (e) {
          this.unexpected.push(`${request.method} ${request.path}: ${(e as Error).message}`);
          res.writeHead(599, { 'content-type': 'text/plain' }).end((e as Error).message);
          return;
        }
        if (answer === 'reset') {
          req.socket.destroy();
          return;
        }
        const isText = typeof answer.body === 'string' || answer.body === undefined;
        const payload =
          answer.body === undefined ? '' : isText ? String(answer.body) : JSON.stringify(answer.body);
        res.writeHead(answer.status, {
          'content-type': isText ? 'text/plain' : 'application/json',
          ...answer.headers,
        });
        res.end(payload);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The form body of a stub request. */
export const formOf = (req: StubRequest) => Object.fromEntries(new URLSearchParams(req.body));
