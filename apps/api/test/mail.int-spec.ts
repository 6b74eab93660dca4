import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { JobName, QueueName } from '@ledgerport/server/jobs';
import {
  MailProcessor,
  MailSender,
  MailService,
  MailSweeper,
  renderEmail,
} from '@ledgerport/server/notifications';
// The worker is its own app; these tests run its real module against the API's database and Redis.
 
import { WorkerModule, assertEveryJobHasAHandler } from '../../worker/src/worker.module';
import { TestContext } from './harness';

/** A message as the SMTP server received it, with its MIME parts decoded. */
interface Received {
  from: string;
  to: string[];
  headers: Record<string, string>;
  text: string;
  html: string;
}

function decodeQuotedPrintable(s: string): Buffer {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(soft.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const buf =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body, 'base64')
        : Buffer.from(body, 'utf8');
  return buf.toString('utf8').replace(/\r\n/g, '\n');
}

/** Just enough MIME for what nodemailer sends: a single part or multipart/alternative (text + html). */
function parseMessage(raw: string): Pick<Received, 'headers' | 'text' | 'html'> {
  const split = raw.indexOf('\r\n\r\n');
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  const parts = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1, -1)
        .map((p) => {
          const part = p.replace(/^\r\n/, '').replace(/\r\n$/, '');
          const i = part.indexOf('\r\n\r\n');
          const h = parseHeaders(part.slice(0, i));
          return { type: h['content-type'] ?? '', content: decodeBody(h, part.slice(i + 4)) };
        })
    : [{ type: headers['content-type'] ?? 'text/plain', content: decodeBody(headers, body) }];
  return {
    headers,
    text: parts.find((p) => p.type.startsWith('text/plain'))?.content ?? '',
    html: parts.find((p) => p.type.startsWith('text/html'))?.content ?? '',
  };
}

/** Polls until `probe` answers something truthy; fails after `timeoutMs` naming what it waited for. */
async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const startWorker = () => NestFactory.createApplicationContext(WorkerModule, { logger: false });

describe('mail delivery by the worker', () => {
  const originalPrefix = process.env.REDIS_PREFIX;

  beforeAll(() => {
    // This file's own queues: its workers must never pick up (and, over SMTP, clear the bodies of)
    // mail that other test files staged and read back. Still under the run's prefix, so teardown removes it.
    process.env.REDIS_PREFIX = `${originalPrefix}:mail-${randomUUID().slice(0, 8)}`;
  });
  afterAll(() => {
    process.env.REDIS_PREFIX = originalPrefix;
    delete process.env.SMTP_URL;
  });

  const emailRow = async (ctx: TestContext, id: string) =>
    (
      await ctx.db.query(
        `SELECT id, to_address, subject, text_body, html_body, status, attempts, last_error, sent_at FROM outbound_emails WHERE id = $1`,
        [id],
      )
    )[0];

  const stage = async (ctx: TestContext, to: string, parts: Parameters<typeof renderEmail>[0]) => {
    const mail = ctx.app.get(MailService);
    return ctx.db.transaction((m) => mail.stage(m, null, to, renderEmail(parts)));
  };

  describe('over SMTP (SMTP_URL set)', () => {
    let smtp: SMTPServer;
    let ctx: TestContext;
    let worker: INestApplicationContext;
    const received: Received[] = [];
    const rejectRecipient = 'bounce@mail-int-spec.test';

    const messageTo = (to: string) =>
      until(`a message to ${to}`, () => received.find((m) => m.to.includes(to)));

    beforeAll(async () => {
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onRcptTo(address: SMTPServerAddress, _session, callback) {
          if (address.address === rejectRecipient)
            callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
          else callback();
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              ...parseMessage(Buffer.concat(chunks).toString('utf8')),
            });
            callback();
          });
        },
      });
      await new Promise<void>((resolve, reject) => {
        smtp.once('error', reject);
        smtp.listen(0, '127.0.0.1', () => resolve());
      });
      const { port } = smtp.server.address() as AddressInfo;
      process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
      ctx = await TestContext.start({ SMTP_URL: process.env.SMTP_URL });
      worker = await startWorker();
      // The sweep timer would, after a minute, enqueue every stale row in the shared test database.
      worker.get(MailSweeper).onApplicationShutdown();
    });

    afterAll(async () => {
      await worker?.close();
      await ctx?.close();
      await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
      delete process.env.SMTP_URL;
    });

    it('delivers a staged, dispatched email with its subject, text and HTML parts, then clears the bodies', async () => {
      const to = `${ctx.unique('zoe')}@mail-int-spec.test`;
      const url = 'https://ledgerport.example.com/set-password?token=abc&next=%2F';
      const staged = await stage(ctx, to, {
        subject: 'Set your password for Smith & Jones',
        greeting: 'Hello Zoë <b>Brontë</b>,',
        paragraphs: [
          'Your firm is ready. Ça marche: the link works once and for 7 days, which is a long line on purpose so it wraps.',
        ],
        action: { label: 'Set your password', url },
      });
      expect((await emailRow(ctx, staged.id)).status).toBe('queued');
      await ctx.app.get(MailService).dispatch(staged);

      const msg = await messageTo(to);
      expect(msg.from).toBe('no-reply@ledgerport.local');
      expect(msg.to).toEqual([to]);
      expect(msg.headers.subject).toBe('Set your password for Smith & Jones');
      expect(msg.headers.from).toBe('Ledgerport <no-reply@ledgerport.local>');
      expect(msg.headers['content-type']).toMatch(/^multipart\/alternative/);
      expect(msg.text).toContain('Hello Zoë <b>Brontë</b>,');
      expect(msg.text).toContain(
        'Ça marche: the link works once and for 7 days, which is a long line on purpose so it wraps.',
      );
      expect(msg.text).toContain(`Set your password: ${url}`);
      expect(msg.html).toMatch(/^<!doctype html>/);
      expect(msg.html).toContain('Hello Zoë &lt;b&gt;Brontë&lt;/b&gt;,');
      expect(msg.html).not.toContain('<b>');
      expect(msg.html).toContain(`<a href="${url.replace('&', '&amp;')}"`);

      const row = await until('the row to be marked sent', async () => {
        const r = await emailRow(ctx, staged.id);
        return r.status === 'sent' && r;
      });
      expect(row).toMatchObject({
        text_body: null,
        html_body: null,
        last_error: null,
        attempts: 1,
        sent_at: expect.any(Date),
      });
    });

    it('sends a firm application acknowledgement end to end, and sends an email once even if dispatched twice', async () => {
      const email = `${ctx.unique('applicant')}@mail-int-spec.test`;
      const firmName = ctx.unique('Harbour Ledger');
      const res = await ctx.agent().post('/api/v1/firm-applications', {
        firmName,
        contactName: 'Hana Harbour',
        email,
        phone: '+1 555 0199',
        size: '2-5',
      });
      expect(res.status).toBe(201);
      const msg = await messageTo(email);
      expect(msg.headers.subject).toBe(`We received ${firmName}'s application`);
      expect(msg.text).toContain('Hello Hana Harbour,');
      expect(msg.html).toContain(`Thank you for applying to run ${firmName} on Ledgerport.`);
      const [row] = await ctx.db.query(`SELECT id FROM outbound_emails WHERE to_address = $1`, [email]);
      await until(
        'the acknowledgement to be marked sent',
        async () => (await emailRow(ctx, row.id)).status === 'sent',
      );

      // Re-dispatching (e.g. the sweep racing the API) must not send it again: same job id, and a sent row is skipped.
      const mail = ctx.app.get(MailService);
      const queue = worker.get<Queue>(getQueueToken(QueueName.MAIL));
      await until(
        'the job to complete',
        async () => (await (await queue.getJob(`email-${row.id}`))?.getState()) === 'completed',
      );
      await mail.dispatch({ id: row.id }, { id: row.id });
      expect(await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
        prioritized: 0,
      });
      expect(await (await queue.getJob(`email-${row.id}`))?.getState()).toBe('completed');
      expect(await worker.get(MailSender).send(row.id)).toBe('skipped');
      expect(received.filter((m) => m.to.includes(email))).toHaveLength(1);
    });

    it('keeps a rejected email queued with its bodies and the error, so a retry can still send it', async () => {
      const staged = await stage(ctx, rejectRecipient, {
        subject: 'Will bounce',
        greeting: 'Hello,',
        paragraphs: ['Nobody reads this.'],
      });
      const sender = worker.get(MailSender);
      await expect(sender.send(staged.id)).rejects.toThrow(/Mailbox unavailable/);
      const row = await emailRow(ctx, staged.id);
      expect(row).toMatchObject({ status: 'queued', attempts: 1, subject: 'Will bounce' });
      expect(row.text_body).toContain('Nobody reads this.');
      expect(row.html_body).toContain('Nobody reads this.');
      expect(row.last_error).toMatch(/Mailbox unavailable/);
      await sender.markFailed(staged.id, 'gave up after 5 attempts');
      expect(await emailRow(ctx, staged.id)).toMatchObject({
        status: 'failed',
        last_error: 'gave up after 5 attempts',
      });
    });

    it('turns the development outbox off: GET /api/v1/dev/outbox answers 404 OUTBOX_DISABLED', async () => {
      const res = await ctx.agent().get('/api/v1/dev/outbox?to=someone@example.test');
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('OUTBOX_DISABLED');
      expect((await ctx.agent().get('/api/v1/dev/outbox')).status).toBe(404);
    });
  });

  describe('into the development outbox (no SMTP_URL)', () => {
    let ctx: TestContext;
    let worker: INestApplicationContext;

    beforeAll(async () => {
      delete process.env.SMTP_URL;
      ctx = await TestContext.start();
      worker = await startWorker();
    });
    afterAll(async () => {
      await worker?.close();
      await ctx?.close();
    });

    it('marks the email outbox, keeps its bodies, and lists it newest first in GET /api/v1/dev/outbox?to=', async () => {
      const email = `${ctx.unique('Outbox.Owner')}@mail-int-spec.test`.toLowerCase();
      const firmName = ctx.unique('Outbox Books');
      const res = await ctx.agent().post('/api/v1/firm-applications', {
        firmName,
        contactName: 'Olga Outbox',
        email,
        phone: '+1 555 0142',
        size: '1',
      });
      expect(res.status).toBe(201);
      const [first] = await ctx.db.query(`SELECT id FROM outbound_emails WHERE to_address = $1`, [email]);
      const row = await until('the acknowledgement to reach the outbox', async () => {
        const r = await emailRow(ctx, first.id);
        return r.status === 'outbox' && r;
      });
      expect(row.text_body).toContain('Hello Olga Outbox,');
      expect(row.html_body).toContain('Hello Olga Outbox,');
      expect(row.sent_at).toEqual(expect.any(Date));

      const second = await stage(ctx, email, {
        subject: 'A second note',
        greeting: 'Hello again,',
        paragraphs: ['Second.'],
        action: { label: 'Open', url: 'https://lp.test/x' },
      });
      await ctx.app.get(MailService).dispatch(second);
      await until(
        'the second email to reach the outbox',
        async () => (await emailRow(ctx, second.id)).status === 'outbox',
      );

      const list = await ctx.agent().get(`/api/v1/dev/outbox?to=${encodeURIComponent(email.toUpperCase())}`);
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([
        {
          id: second.id,
          to: email,
          subject: 'A second note',
          text: expect.stringContaining('Open: https://lp.test/x'),
          html: expect.stringContaining('href="https://lp.test/x"'),
          status: 'outbox',
          createdAt: expect.any(String),
        },
        {
          id: first.id,
          to: email,
          subject: `We received ${firmName}'s application`,
          text: expect.stringContaining(`Thank you for applying to run ${firmName} on Ledgerport.`),
          html: expect.stringContaining('<!doctype html>'),
          status: 'outbox',
          createdAt: expect.any(String),
        },
      ]);
      const bad = await ctx.agent().get('/api/v1/dev/outbox?to=not-an-email');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    });

    it('sweeps email rows left queued (Redis was unreachable) onto the queue, and the worker delivers them', async () => {
      const to = `${ctx.unique('swept')}@mail-int-spec.test`;
      // Staged but never dispatched, two minutes ago: what a commit during a Redis outage leaves behind.
      const staged = await stage(ctx, to, {
        subject: 'Swept up',
        greeting: 'Hello,',
        paragraphs: ['Late but here.'],
      });
      await ctx.db.query(
        `UPDATE outbound_emails SET created_at = now() - interval '2 minutes' WHERE id = $1`,
        [staged.id],
      );
      const sweeper = worker.get(MailSweeper);
      const queue = worker.get<Queue>(getQueueToken(QueueName.MAIL));

      await sweeper.sweep(3600);
      expect(await queue.getJob(`email-${staged.id}`)).toBeUndefined();
      expect((await emailRow(ctx, staged.id)).status).toBe('queued');

      // The sweep takes at most 500 rows a round; the shared test database may hold more queued rows.
      await until('the sweep to enqueue the stale row', async () => {
        expect(await sweeper.sweep(0)).toBeGreaterThan(0);
        return queue.getJob(`email-${staged.id}`);
      });
      const job = (await queue.getJob(`email-${staged.id}`)) as Job;
      expect(job.name).toBe(JobName.SEND_EMAIL);
      expect(job.data).toEqual({ emailId: staged.id });
      const row = await until('the swept row to reach the outbox', async () => {
        const r = await emailRow(ctx, staged.id);
        return r.status === 'outbox' && r;
      });
      expect(row.text_body).toContain('Late but here.');
    });
  });

  describe('job handlers', () => {
    it('refuses to boot a worker when a job has no handler, naming the job', () => {
      expect(() => assertEveryJobHasAHandler([])).toThrow(
        `No worker handles these jobs: ${JobName.SEND_EMAIL}`,
      );
      expect(() => assertEveryJobHasAHandler([{ handles: ['something-else'] }])).toThrow(/send-email/);
      expect(() => assertEveryJobHasAHandler()).not.toThrow();
      expect(MailProcessor.handles).toContain(JobName.SEND_EMAIL);
    });

    it('fails a mail job with an unknown name instead of dropping it', async () => {
      const processor = new MailProcessor({ send: jest.fn() } as unknown as MailSender);
      await expect(
        processor.process({ name: 'send-fax', data: { emailId: 'x' } } as unknown as Job),
      ).rejects.toThrow('The mail queue has no handler for job "send-fax"');
    });
  });
});
