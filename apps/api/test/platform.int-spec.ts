import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS } from '@ledgerport/server/jobs';
import { TestContext } from './harness';

const METHODS = 'GET|POST|PUT|PATCH|DELETE';

/** Every `METHOD path` docs/api.md names, as OpenAPI keys: `get /api/v1/clients/{id}`. */
function documentedOperations(): string[] {
  const md = readFileSync(join(__dirname, '../../../docs/api.md'), 'utf8');
  const found = [
    ...[...md.matchAll(new RegExp(`^\\|\\s*(${METHODS})\\s*\\|\\s*\`([^\`]+)\``, 'gm'))],
    ...[...md.matchAll(new RegExp(`\`(${METHODS}) (/[^\`\\s]+)\``, 'g'))],
  ].map(
    ([, method, path]) => `${method.toLowerCase()} ${path.split('?')[0].replace(/:([A-Za-z]+)/g, '{$1}')}`,
  );
  return [...new Set(found)].sort();
}

/** A throwaway WEB_DIST_DIR; with `apps`, each app gets an index.html naming it and a favicon. */
function webDist(apps: ('firm-console' | 'client-portal')[]): string {
  const root = mkdtempSync(join(tmpdir(), 'ledgerport-web-'));
  for (const app of apps) {
    mkdirSync(join(root, app), { recursive: true });
    writeFileSync(
      join(root, app, 'index.html'),
      `<!doctype html><html><head><title>${app}</title></head><body><div id="app"></div></body></html>`,
    );
    writeFileSync(
      join(root, app, 'favicon.svg'),
      `<svg xmlns="http://www.w3.org/2000/svg"><title>${app}</title></svg>`,
    );
  }
  return root;
}

describe('platform', () => {
  describe('without built web apps', () => {
    let ctx: TestContext;
    let dist: string;
    beforeAll(async () => {
      dist = webDist([]);
      ctx = await TestContext.start({ WEB_DIST_DIR: dist });
    });
    afterAll(async () => {
      await ctx.close();
      rmSync(dist, { recursive: true, force: true });
    });

    it('GET /healthz answers 200 while the process is up', async () => {
      const res = await ctx.agent().get('/healthz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('GET /readyz answers 200 when PostgreSQL and Redis both answer', async () => {
      const res = await ctx.agent().get('/readyz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
    });

    it('GET /readyz answers 503 naming what is down', async () => {
      const redisPing = jest
        .spyOn(ctx.app.get(REDIS), 'ping')
        .mockRejectedValueOnce(new Error('connect ECONNREFUSED'));
      // Straight through inject: the harness would (rightly) count this deliberate 503 as a server error.
      const redisDown = await ctx.app.inject({ method: 'GET', url: '/readyz' });
      expect(redisDown.statusCode).toBe(503);
      expect(redisDown.json()).toEqual({
        status: 'unavailable',
        checks: { postgres: 'ok', redis: 'unavailable: connect ECONNREFUSED' },
      });
      redisPing.mockRestore();

      const pgQuery = jest.spyOn(ctx.db, 'query').mockRejectedValueOnce(new Error('too many clients'));
      const pgDown = await ctx.app.inject({ method: 'GET', url: '/readyz' });
      expect(pgDown.statusCode).toBe(503);
      expect(pgDown.json().checks).toEqual({ postgres: 'unavailable: too many clients', redis: 'ok' });
      pgQuery.mockRestore();

      expect((await ctx.agent().get('/readyz')).status).toBe(200);
    });

    describe('OpenAPI document', () => {
      let doc: any;
      beforeAll(async () => {
        const res = await ctx.agent().get('/api/docs-json');
        expect(res.status).toBe(200);
        expect(String(res.headers['content-type'])).toMatch(/json/);
        doc = res.body;
      });

      const operations = (): [string, any][] =>
        Object.entries<Record<string, any>>(doc.paths).flatMap(([path, ops]) =>
          Object.entries(ops)
            .filter(([method]) => METHODS.toLowerCase().split('|').includes(method))
            .map(([method, op]): [string, any] => [`${method} ${path}`, op]),
        );
      const resolves = (schema: any): boolean => {
        if (!schema) return false;
        if (schema.$ref) return !!doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
        return !!(schema.type || schema.properties || schema.allOf || schema.oneOf);
      };

      it('is an OpenAPI 3 document', () => {
        expect(doc.openapi).toMatch(/^3\./);
        expect(doc.info).toMatchObject({ title: 'Ledgerport API', version: '1' });
        expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['csrf', 'operator', 'portal-session', 'session']);
      });

      it('has every operation docs/api.md names, and docs/api.md names every operation it has', () => {
        const documented = documentedOperations();
        expect(documented.length).toBeGreaterThanOrEqual(29);
        expect(documented).toEqual(
          expect.arrayContaining([
            'get /healthz',
            'get /api/v1/dev/outbox',
            'post /api/v1/operator/firms/{id}/approve',
          ]),
        );
        const served = operations()
          .map(([key]) => key)
          .sort();
        expect(documented.filter((op) => !served.includes(op))).toEqual([]);
        expect(served.filter((op) => !documented.includes(op))).toEqual([]);
      });

      it('gives every operation a success response with a schema (or 204, or a redirect for browser navigations), and a schema for every error it declares', () => {
        const problems: string[] = [];
        for (const [key, op] of operations()) {
          const responses = Object.entries<any>(op.responses ?? {});
          const success = responses.filter(([status]) => /^(2\d\d|302)$/.test(status));
          if (!success.length) problems.push(`${key}: no 2xx response`);
          for (const [status, response] of responses) {
            if (status === '204' || status === '302') continue;
            // A success that is not JSON (an image, the HTML page ending a consent popup) declares its own media type and schema.
            const binary = /^2/.test(status) && Object.entries<any>(response.content ?? {}).some(([type, c]) => type !== 'application/json' && !!c.schema?.type);
            if (!binary && !resolves(response.content?.['application/json']?.schema))
              problems.push(`${key}: ${status} has no JSON schema`);
          }
          if (!op.summary) problems.push(`${key}: no summary`);
        }
        expect(problems).toEqual([]);
      });

      it('describes errors with the one error shape', () => {
        const error = doc.components.schemas.ErrorResponseDto;
        expect(error.required).toEqual(expect.arrayContaining(['statusCode', 'code', 'message']));
        const [, approve] = operations().find(
          ([key]) => key === 'post /api/v1/operator/firms/{id}/approve',
        ) as [string, any];
        for (const status of ['401', '404', '409']) {
          expect(approve.responses[status].content['application/json'].schema.$ref).toBe(
            '#/components/schemas/ErrorResponseDto',
          );
        }
      });
    });

    it('answers unknown API routes with a JSON 404 ROUTE_NOT_FOUND, for any method', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/nope'],
        ['POST', '/api/v1/nope'],
        ['DELETE', '/api/v1/clients'],
        ['GET', '/api/v2/clients'],
        ['GET', '/api'],
        ['GET', '/clients/123'],
      ]) {
        const res = await ctx.agent().request(method, url);
        expect({ method, url, status: res.status }).toEqual({ method, url, status: 404 });
        expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
        expect(res.body).toEqual({
          statusCode: 404,
          code: 'ROUTE_NOT_FOUND',
          message: `No endpoint answers ${method} ${url}.`,
        });
      }
    });
  });

  describe('serving the built web apps (WEB_DIST_DIR)', () => {
    let ctx: TestContext;
    let dist: string;
    const html = (app: string) => readFileSync(join(dist, app, 'index.html'), 'utf8');

    beforeAll(async () => {
      dist = webDist(['firm-console', 'client-portal']);
      ctx = await TestContext.start({ WEB_DIST_DIR: dist });
    });
    afterAll(async () => {
      await ctx.close();
      delete process.env.WEB_DIST_DIR;
      rmSync(dist, { recursive: true, force: true });
    });

    it("answers the firm console's browser routes with its index.html", async () => {
      for (const url of ['/', '/clients/123', '/team?tab=invited', '/set-password?token=abc']) {
        const res = await ctx.agent().get(url);
        expect({ url, status: res.status }).toEqual({ url, status: 200 });
        expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
        // A new deploy's index.html must be picked up: never cached without revalidation.
        expect(res.headers['cache-control']).toMatch(/no-cache|max-age=0\b/);
        expect(res.body).toBe(html('firm-console'));
      }
    });

    it("answers the client portal's browser routes with its own index.html", async () => {
      for (const url of ['/portal', '/portal/northwind', '/portal/northwind/documents']) {
        const res = await ctx.agent().get(url);
        expect({ url, status: res.status }).toEqual({ url, status: 200 });
        expect(res.headers['cache-control']).toMatch(/no-cache|max-age=0\b/);
        expect(res.body).toBe(html('client-portal'));
      }
    });

    it("serves each app's static files from its own directory", async () => {
      const consoleIcon = await ctx.agent().get('/favicon.svg');
      const portalIcon = await ctx.agent().get('/portal/favicon.svg');
      expect(consoleIcon.status).toBe(200);
      expect(String(consoleIcon.headers['content-type'])).toMatch(/^image\/svg\+xml/);
      expect(consoleIcon.body).toContain('<title>firm-console</title>');
      expect(portalIcon.body).toContain('<title>client-portal</title>');
    });

    it('keeps API routes, unknown API routes, missing files and non-GET requests as JSON', async () => {
      const nope = await ctx.agent().get('/api/v1/nope');
      expect(nope.status).toBe(404);
      expect(String(nope.headers['content-type'])).toMatch(/^application\/json/);
      expect(nope.body.code).toBe('ROUTE_NOT_FOUND');
      for (const [method, url] of [
        ['GET', '/api'],
        ['GET', '/assets/missing.js'],
        ['GET', '/portal/assets/missing.css'],
        ['POST', '/clients/123'],
      ]) {
        const res = await ctx.agent().request(method, url);
        expect({ method, url, status: res.status, code: res.body.code }).toEqual({
          method,
          url,
          status: 404,
          code: 'ROUTE_NOT_FOUND',
        });
      }
      const health = await ctx.agent().get('/healthz');
      expect(health.body).toEqual({ status: 'ok' });
      const session = await ctx.agent().get('/api/v1/auth/session');
      expect(session.status).toBe(401);
      expect(session.body.code).toBe('UNAUTHENTICATED');
    });
  });
});
