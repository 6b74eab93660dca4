import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, loadConfig, type AppConfig } from '@ledgerport/server/config';
import { AppExceptionFilter, createValidationPipe } from '@ledgerport/server/errors';
import { mountQueueDashboard } from '@ledgerport/server/sync';
import { AppModule } from './app.module';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export async function createApp(options: { logger?: boolean } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: loadConfig().TRUST_PROXY, maxParamLength: 500 });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
    // Webhooks are signed over their exact bytes: Nest keeps JSON bodies' raw bytes as req.rawBody.
    rawBody: true,
  });
  if (options.logger !== false) app.useLogger(app.get(Logger));
  const config = app.get<AppConfig>(APP_CONFIG);
  await configureApp(app, config);
  return app;
}

export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(fastifyCookie);
  // Image uploads (the portal logo) arrive as the raw request body; the handler checks type and size.
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(/^image\//, { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body));
  // Attachments (F2) arrive as multipart/form-data, one file per request; the handler streams it to
  // storage, which counts the bytes itself and checks what they are.
  await app.register(fastifyMultipart, { limits: { fileSize: config.UPLOAD_MAX_BYTES, files: 1, fields: 0, parts: 2 } });
  await mountQueueDashboard(app, config);
  const spa = await serveWebApps(app, config);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AppExceptionFilter(spa));
  app.enableShutdownHooks();
  const document = buildOpenApi(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', customSiteTitle: 'Ledgerport API' });
}

export function buildOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Ledgerport API')
    .setDescription(
      'REST API of Ledgerport. Errors are always `{statusCode, code, message, details?}`. ' +
        'Cookie-authenticated writes need the `X-CSRF-Token` header from `GET /api/v1/auth/session` ' +
        '(client portal: `GET /api/v1/portal/auth/session`). ' +
        "Another firm's resources, and clients a staff member is not assigned to, answer 404.",
    )
    .setVersion('1')
    .addCookieAuth('lp_session', { type: 'apiKey', in: 'cookie', name: 'lp_session' }, 'session')
    .addCookieAuth('lp_portal', { type: 'apiKey', in: 'cookie', name: 'lp_portal', description: 'Client portal session (contacts)' }, 'portal-session')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-CSRF-Token' }, 'csrf')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'OPERATOR_TOKEN' }, 'operator')
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}

/**
 * Serves the built SPAs from the API's origin: the firm console at `/`, the client portal at
 * `/portal/`. Files are looked up per request (a rebuild needs no restart). Unknown browser routes
 * get the SPA's index.html; unknown API routes stay JSON 404s.
 */
async function serveWebApps(app: NestFastifyApplication, config: AppConfig) {
  const root = resolve(config.WEB_DIST_DIR);
  const consoleDir = join(root, 'firm-console');
  const portalDir = join(root, 'client-portal');
  const hasConsole = existsSync(join(consoleDir, 'index.html'));
  const hasPortal = existsSync(join(portalDir, 'index.html'));
  if (hasConsole) {
    await app.register(fastifyStatic, { root: consoleDir, prefix: '/', index: false, decorateReply: true });
  }
  if (hasPortal) {
    await app.register(fastifyStatic, { root: portalDir, prefix: '/portal/', index: false, decorateReply: !hasConsole });
  }
  // index.html must be re-validated on every load so a deploy is picked up; its assets are hashed.
  // It is a kilobyte: read and sent whole, not streamed (a stream piped to the response from the
  // not-found path stacked 11 close listeners on it, and Node warned of a leak on every page load).
  const sendIndex = async (reply: FastifyReply, dir: string) => {
    try {
      const html = await readFile(join(dir, 'index.html'));
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
    } catch (err) {
      return reply.send(err);
    }
  };
  const fastify = app.getHttpAdapter().getInstance();
  if (hasConsole) fastify.get('/', (_req, reply) => sendIndex(reply, consoleDir));
  if (hasPortal) fastify.get('/portal/', (_req, reply) => sendIndex(reply, portalDir));
  return (req: FastifyRequest, reply: FastifyReply): boolean => {
    const path = req.url.split('?')[0];
    if (req.method !== 'GET' || path.startsWith('/api/') || path === '/api' || /\.[a-z0-9]+$/i.test(path)) return false;
    const isPortal = path === '/portal' || path.startsWith('/portal/');
    if (isPortal ? !hasPortal : !hasConsole) return false;
    void sendIndex(reply, isPortal ? portalDir : consoleDir);
    return true;
  };
}

/** The OpenAPI document without connecting to anything (Nest's preview mode builds no providers). */
export async function openApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { preview: true, logger: false });
  const doc = buildOpenApi(app);
  await app.close();
  return doc;
}
