/**
 * Goes through a consent page (QuickBooks' company picker or Xero's organisation picker) the way a
 * person's browser would: open it, choose, submit. The tests use it, and so does the control API's
 * POST /control/consent (demos and scripts that connect without clicking).
 */
const unescapeHtml = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * Opens a consent page (QuickBooks' company picker or Xero's organisation picker), chooses the
 * named company or organisations and presses Connect / Allow (or Cancel). Answers where the
 * sandbox sends the browser back: the app's redirect URI with the code (or the error).
 */
export async function consentAsBrowser(consentUrl: string, pick: string[], action: 'allow' | 'cancel' = 'allow'): Promise<string> {
  const page = await fetch(consentUrl);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${await page.text()}`);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1], unescapeHtml(m[2]));
  const isQbo = html.includes('name="realmId"');
  for (const name of pick) {
    if (isQbo) {
      const radio = [...html.matchAll(/<input type="radio" id="[^"]+" name="realmId" value="([^"]+)"[^>]*>\s*<span><span class="company">([^<]+)<\/span>/g)].find(
        (r) => unescapeHtml(r[2]) === name,
      );
      if (!radio) throw new Error(`no company ${name} on the consent page`);
      form.set('realmId', radio[1]);
    } else {
      const box = [...html.matchAll(/<input type="checkbox" id="([^"]+)" name="(tenant\.[^"]+)" value="on"[^>]*>\s*<label for="([^"]+)">([^<]+)<\/label>/g)].find(
        (b) => b[1] === b[3] && unescapeHtml(b[4]) === name,
      );
      if (!box) throw new Error(`no organisation ${name} on the consent page`);
      form.set(box[2], 'on');
    }
  }
  form.set('action', isQbo ? (action === 'allow' ? 'connect' : 'cancel') : action);
  const formAction = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  if (!formAction) throw new Error('no form on the consent page');
  const res = await fetch(new URL(unescapeHtml(formAction), consentUrl), { method: 'POST', body: form, redirect: 'manual' });
  if (res.status !== 302) throw new Error(`consent form answered ${res.status}: ${await res.text()}`);
  return res.headers.get('location') as string;
}
