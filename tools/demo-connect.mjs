// `npm start` keeps the demo's ledgers connected: Acme Coffee Roasters to QuickBooks Online and
// Birch Dental Studio to Xero, both in the local ledger sandbox. It does what a person would do,
// through the product's own endpoints: sign in as the demo owner, start the connection, approve the
// sandbox's consent page (its control API does the clicking), and land on the callback. The sandbox
// keeps its grants in memory, so after a restart the old connections need reconnecting: this
// notices (Refresh answers NEEDS_RECONNECT) and reconnects them. Nothing happens without the demo
// firm or with its password changed.

const DEMO = [
  { client: 'Acme Coffee Roasters', provider: 'qbo', company: 'Acme Coffee Roasters' },
  { client: 'Birch Dental Studio', provider: 'xero', company: 'Birch Dental Studio' },
];

/** A minimal browser: keeps cookies and the CSRF token, never follows redirects. */
export class Browser {
  cookies = new Map();
  csrf = undefined;
  constructor(base) {
    this.base = base;
  }
  async request(method, path, body) {
    const headers = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await fetch(new URL(path, this.base), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  }
}

/** Signs in like a person; answers the browser, or null when the credentials are refused. */
export async function signedIn(appUrl, email, password = 'ledgerport-demo') {
  const b = new Browser(appUrl);
  const login = await b.request('POST', '/api/v1/auth/login', { email, password });
  if (login.status !== 200) return null;
  b.csrf = (await login.json()).csrfToken;
  return b;
}

/**
 * Connects one client as a person would: starts the connection, has the sandbox's consent page
 * approved (its control API does the clicking), lands on the callback. Answers the callback's status.
 */
export async function connectClient(b, sandboxUrl, clientId, provider, company) {
  const start = await b.request('GET', `/api/v1/clients/${clientId}/connection/connect?provider=${provider}`);
  if (start.status !== 302) return start.status;
  const consent = await fetch(`${sandboxUrl}/control/consent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: start.headers.get('location'), pick: [company] }),
  });
  if (!consent.ok) return consent.status;
  const back = new URL((await consent.json()).callbackUrl);
  return (await b.request('GET', back.pathname + back.search)).status;
}

export async function connectDemoLedgers({ appUrl, sandboxUrl, log = console.log }) {
  const b = await signedIn(appUrl, 'owner@northwind.test');
  if (!b) return;
  for (const d of DEMO) {
    const list = await (await b.request('GET', `/api/v1/clients?q=${encodeURIComponent(d.client)}`)).json();
    const client = list.items?.find((c) => c.name === d.client);
    if (!client) continue;
    const { connection } = await (await b.request('GET', `/api/v1/clients/${client.id}/connection`)).json();
    if (connection?.status === 'connected') {
      const refreshed = await b.request('POST', `/api/v1/clients/${client.id}/connection/refresh`);
      if (refreshed.status !== 409) continue; // fine, or a problem a person should see on the tile
    } else if (connection && connection.provider !== d.provider) continue;
    const status = await connectClient(b, sandboxUrl, client.id, d.provider, d.company);
    log(status === 200 ? `Demo: ${d.client} connected to ${d.provider === 'qbo' ? 'QuickBooks Online' : 'Xero'} (ledger sandbox)` : `Demo: could not connect ${d.client} (${status})`);
  }
}

/** Waits (up to two minutes) until the demo's connected clients have finished a sync; answers whether they all did. */
export async function demoSynced({ appUrl }) {
  const b = await signedIn(appUrl, 'owner@northwind.test');
  if (!b) return false;
  const until = Date.now() + 120_000;
  for (const d of DEMO) {
    const list = await (await b.request('GET', `/api/v1/clients?q=${encodeURIComponent(d.client)}`)).json();
    const client = list.items?.find((c) => c.name === d.client);
    if (!client) return false;
    for (;;) {
      const res = await b.request('GET', `/api/v1/clients/${client.id}/sync`);
      if (res.ok && (await res.json()).backfilled) break;
      if (Date.now() > until) return false;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return true;
}
