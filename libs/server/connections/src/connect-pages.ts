import { escapeHtml } from '@ledgerport/server/notifications';
import type { ConnectOutcome } from './connections.service';

const esc = escapeHtml;

/**
 * The page the consent popup ends on. It tells the console that opened it (postMessage to the same
 * origin only) and closes itself; opened without a popup, it links back to the client.
 */
export function connectResultPage(o: ConnectOutcome): string {
  const payload = JSON.stringify({ type: 'ledgerport:connection', clientId: o.clientId, status: o.status, message: o.message }).replace(/</g, '\\u003c');
  const back = o.backUrl ? ` <a href="${esc(o.backUrl)}">Go back</a>` : '';
  return page(
    o.status === 'connected' ? 'Connected' : 'Not connected',
    `<h1>${o.status === 'connected' ? 'Connected' : 'The ledger was not connected'}</h1>
<p role="${o.status === 'connected' ? 'status' : 'alert'}">${esc(o.message)}</p>
<p>You can close this window.${back}</p>
<script>
(function () {
  var data = ${payload};
  if (window.opener && !window.opener.closed) {
    window.opener.postMessage(data, window.location.origin);
    window.close();
  }
})();
</script>`,
  );
}

/** What the popup shows when a connection cannot even start (not signed in, no access, already connected). */
export function connectErrorPage(message: string, clientId: string | null, backUrl: string | null): string {
  return connectResultPage({ clientId, status: 'failed', message, backUrl });
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · Ledgerport</title>
<style>body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2933;background:#f4f6f8;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border-radius:10px;padding:32px;max-width:420px;box-shadow:0 1px 3px rgba(0,0,0,.08)}h1{font-size:1.25rem;margin:0 0 12px}a{color:#1f7469}</style>
</head><body><main>${body}</main></body></html>`;
}

/** Small, neutral marks for the two ledgers (not their trademarks): a coloured disc with initials. */
export const PROVIDER_LOGOS: Record<'qbo' | 'xero', string> = {
  qbo: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" role="img" aria-label="QuickBooks Online"><circle cx="16" cy="16" r="16" fill="#2ca01c"/><text x="16" y="21" text-anchor="middle" font-family="Arial,Helvetica,sans-serif" font-size="13" font-weight="700" fill="#fff">qb</text></svg>`,
  xero: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" role="img" aria-label="Xero"><circle cx="16" cy="16" r="16" fill="#13b5ea"/><text x="16" y="21" text-anchor="middle" font-family="Arial,Helvetica,sans-serif" font-size="12" font-weight="700" fill="#fff">xero</text></svg>`,
};
