#!/usr/bin/env node
// A local mail catcher: a real SMTP server (smtp-server) that keeps every message it receives in
// memory, parsed with mailparser, and a tiny HTTP API on 127.0.0.1 to read them back.
//
//   GET    /messages?to=<address>   newest first: [{id, to, from, subject, text, html, date}]
//                                   (`to` matches any envelope recipient, case-insensitive; omit it for all)
//   DELETE /messages[?to=<address>] forgets every message (or only those to <address>); answers 204
//   GET    /healthz                 {"ok": true}
//
// The browser journeys get one from tools/e2e-server.mjs. By hand, so `npm start` really sends mail:
//   SMTP_PORT=1025 HTTP_PORT=1080 node tools/mail-catcher.mjs
//   SMTP_URL=smtp://127.0.0.1:1025 npm start          # then: curl 'http://127.0.0.1:1080/messages?to=…'
//
// No TLS and no authentication: STARTTLS is not offered (so nodemailer does not try to upgrade), and
// any AUTH is accepted (so an SMTP_URL with user:pass works too). It listens on 127.0.0.1 only.
// Written without top-level await or import.meta so Jest (which compiles .mjs to CommonJS) can load it.
import http from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * Starts the SMTP server and the HTTP API. Port 0 picks a free port; the ports in use are returned.
 * @param {{ smtpPort?: number, httpPort?: number, host?: string, quiet?: boolean }} [opts]
 * @returns {Promise<{ smtpPort: number, httpPort: number, smtpUrl: string, httpUrl: string,
 *   messages: (to?: string) => object[], clear: (to?: string) => void, close: () => Promise<void> }>}
 */
export async function startMailCatcher({
  smtpPort = 1025,
  httpPort = 1080,
  host = '127.0.0.1',
  quiet = true,
} = {}) {
  /** Oldest first; read newest first. */
  const store = [];
  let seq = 0;

  const matches = (m, to) => !to || m.recipients.includes(String(to).trim().toLowerCase());
  const messages = (to) =>
    store
      .filter((m) => matches(m, to))
      .reverse()
      .map(({ recipients: _r, ...m }) => m);
  const clear = (to) => {
    for (let i = store.length - 1; i >= 0; i--) if (matches(store[i], to)) store.splice(i, 1);
  };

  const smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    hideSTARTTLS: true,
    logger: false,
    banner: 'Ledgerport mail catcher',
    closeTimeout: 1000,
    size: 25 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anyone' });
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          store.push({
            id: String(++seq),
            to: recipients.join(', '),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            date: new Date().toISOString(),
            recipients,
          });
          if (!quiet) console.log(`mail-catcher: ${recipients.join(', ')} ← "${parsed.subject ?? ''}"`);
          callback();
        })
        .catch((err) => callback(err));
    },
  });
  smtp.on('error', (err) => console.error(`mail-catcher SMTP error: ${err.message}`));

  const api = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const send = (status, body) => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const to = url.searchParams.get('to') ?? undefined;
    if (url.pathname === '/messages' && req.method === 'GET') return send(200, messages(to));
    if (url.pathname === '/messages' && req.method === 'DELETE') {
      clear(to);
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/healthz' && req.method === 'GET') return send(200, { ok: true });
    return send(404, { message: 'GET /messages?to=<address>, DELETE /messages, GET /healthz' });
  });

  const listen = (server, port) =>
    new Promise((resolve, reject) => {
      const onError = (err) => reject(err);
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve(server.address().port);
      });
    });

  const actualSmtpPort = await listen(smtp.server, smtpPort);
  let actualHttpPort;
  try {
    actualHttpPort = await listen(api, httpPort);
  } catch (err) {
    await new Promise((resolve) => smtp.close(resolve));
    throw err;
  }

  return {
    smtpPort: actualSmtpPort,
    httpPort: actualHttpPort,
    smtpUrl: `smtp://${host}:${actualSmtpPort}`,
    httpUrl: `http://${host}:${actualHttpPort}`,
    messages,
    clear,
    close: () =>
      Promise.all([
        new Promise((resolve) => smtp.close(resolve)),
        new Promise((resolve) => {
          api.closeAllConnections?.();
          api.close(() => resolve());
        }),
      ]).then(() => undefined),
  };
}

// Standalone: `node tools/mail-catcher.mjs` (SMTP_PORT, default 1025; HTTP_PORT, default 1080).
if (/mail-catcher\.mjs$/.test(process.argv[1] ?? '')) {
  startMailCatcher({
    smtpPort: Number(process.env.SMTP_PORT ?? 1025),
    httpPort: Number(process.env.HTTP_PORT ?? 1080),
    quiet: false,
  }).then(
    (catcher) => {
      console.log(`mail-catcher: SMTP on ${catcher.smtpUrl} (no TLS, any or no AUTH)`);
      console.log(`mail-catcher: messages at ${catcher.httpUrl}/messages?to=<address> (DELETE to clear)`);
      console.log(`mail-catcher: e.g. SMTP_URL=${catcher.smtpUrl} npm start`);
      const stop = () => catcher.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (err) => {
      console.error(`mail-catcher: ${err.message}`);
      process.exit(1);
    },
  );
}
