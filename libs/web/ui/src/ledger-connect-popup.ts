import { onScopeDispose, ref } from 'vue';

export type LedgerProviderName = 'qbo' | 'xero';
type ProviderName = LedgerProviderName;

/** What the API's consent result page posts to the window that opened it. */
export interface ConnectionMessage {
  type: 'ledgerport:connection';
  /** Null when the start endpoint refused before it knew the client (e.g. signed out). */
  clientId: string | null;
  status: 'connected' | 'failed';
  message?: string | null;
}

export interface PendingConnect {
  clientId: string;
  provider: ProviderName;
}

export type LedgerConnectOutcome =
  /** The callback page reported the end of the consent. */
  | {
      kind: 'message';
      clientId: string;
      provider: ProviderName;
      status: 'connected' | 'failed';
      message: string | null;
    }
  /** The person closed the window (or it closed without telling us): worth a quiet reload. */
  | { kind: 'closed'; clientId: string; provider: ProviderName };

const POPUP_NAME = 'ledgerport-connect';
const POPUP_FEATURES = 'popup,width=600,height=720';
const POLL_MS = 500;
/** After the window closes, how long a message posted just before may still take to arrive. */
const CLOSE_GRACE_MS = 800;

function isConnectionMessage(data: unknown): data is ConnectionMessage {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return (
    d['type'] === 'ledgerport:connection' &&
    (typeof d['clientId'] === 'string' || d['clientId'] === null) &&
    (d['status'] === 'connected' || d['status'] === 'failed')
  );
}

/**
 * The connect flow (L1): the provider's consent page in a popup, and the answer the callback page
 * posts back with `window.opener.postMessage`. `start()` must be called straight from a click (or
 * key) handler, before any `await`, so popup blockers see the user's gesture. `urlFor` is the API
 * URL that starts the consent: the console's for a client, or the portal's for a business.
 */
export function useLedgerConnectPopup(
  urlFor: (clientId: string, provider: ProviderName) => string,
  onOutcome: (outcome: LedgerConnectOutcome) => void,
) {
  const pending = ref<PendingConnect | null>(null);
  let popup: Window | null = null;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;

  function clearTimers(): void {
    clearInterval(pollTimer);
    clearTimeout(graceTimer);
    pollTimer = undefined;
    graceTimer = undefined;
  }

  function finish(): PendingConnect | null {
    const p = pending.value;
    clearTimers();
    pending.value = null;
    popup = null;
    return p;
  }

  /**
   * Opens the consent popup. Returns `'redirect'` when the browser blocked it: the tab then goes
   * to the consent page itself (the callback page links back).
   */
  function start(clientId: string, provider: ProviderName): 'popup' | 'redirect' {
    const url = urlFor(clientId, provider);
    const opened = window.open(url, POPUP_NAME, POPUP_FEATURES);
    if (!opened) {
      finish();
      window.location.assign(url);
      return 'redirect';
    }
    clearTimers();
    popup = opened;
    pending.value = { clientId, provider };
    try {
      opened.focus();
    } catch {
      /* some browsers refuse focus() on a new window; it is in front anyway */
    }
    pollTimer = setInterval(checkClosed, POLL_MS);
    return 'popup';
  }

  function checkClosed(): void {
    if (!popup || !popup.closed || graceTimer) return;
    clearInterval(pollTimer);
    pollTimer = undefined;
    graceTimer = setTimeout(() => {
      graceTimer = undefined;
      const p = finish();
      if (p) onOutcome({ kind: 'closed', clientId: p.clientId, provider: p.provider });
    }, CLOSE_GRACE_MS);
  }

  /** Brings the consent window back to the front (it may be hidden behind this one). */
  function focusPopup(): void {
    try {
      popup?.focus();
    } catch {
      /* nothing to do */
    }
  }

  /** Stops waiting and closes the consent window. */
  function cancel(): void {
    try {
      popup?.close();
    } catch {
      /* already gone */
    }
    finish();
  }

  function onMessage(event: MessageEvent): void {
    if (event.origin !== window.location.origin || !isConnectionMessage(event.data)) return;
    const p = pending.value;
    // A refusal before the flow knew the client (e.g. the session ended) carries no client id.
    if (!p || (event.data.clientId !== null && event.data.clientId !== p.clientId)) return;
    finish();
    onOutcome({
      kind: 'message',
      clientId: p.clientId,
      provider: p.provider,
      status: event.data.status,
      message:
        typeof event.data.message === 'string' && event.data.message.trim() ? event.data.message : null,
    });
  }

  window.addEventListener('message', onMessage);
  onScopeDispose(() => {
    window.removeEventListener('message', onMessage);
    clearTimers();
  });

  return { pending, start, cancel, focusPopup };
}
