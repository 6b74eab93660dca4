import { startSandbox, type RunningSandbox } from '../src/testing';

/** POST /control/consent approves a consent page as a person would (demos and scripts). */
describe('ledger sandbox: automatic consent', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());

  const consent = (body: unknown) =>
    fetch(`${sb.url}/control/consent`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const qboConsentUrl = (state: string) =>
    `${sb.url}/qbo/connect/oauth2?${new URLSearchParams({
      client_id: 'ledgerport-qbo-sandbox',
      redirect_uri: 'http://localhost:3000/api/v1/connections/callback/qbo',
      response_type: 'code',
      scope: 'com.intuit.quickbooks.accounting',
      state,
    })}`;

  it('picks the named QuickBooks company and answers the callback with a code, the state and the realm', async () => {
    const res = await consent({ url: qboConsentUrl('s-1'), pick: ['Cedar Yoga Collective'] });
    expect(res.status).toBe(200);
    const back = new URL(((await res.json()) as { callbackUrl: string }).callbackUrl);
    expect(back.origin + back.pathname).toBe('http://localhost:3000/api/v1/connections/callback/qbo');
    expect(back.searchParams.get('state')).toBe('s-1');
    expect(back.searchParams.get('code')).toBeTruthy();
    const cedar = sb.ctx.companies.list('qbo').find((c) => c.def.name === 'Cedar Yoga Collective')!;
    expect(back.searchParams.get('realmId')).toBe(cedar.def.id);
  });

  it('cancels on request', async () => {
    const res = await consent({ url: qboConsentUrl('s-2'), action: 'cancel' });
    const back = new URL(((await res.json()) as { callbackUrl: string }).callbackUrl);
    expect(back.searchParams.get('error')).toBe('access_denied');
  });

  it('refuses other sites, unknown companies and bad bodies with 400', async () => {
    for (const body of [
      { url: 'https://appcenter.intuit.com/connect/oauth2?x=1', pick: [] },
      { url: qboConsentUrl('s-3'), pick: ['No Such Company'] },
      { url: 'not a url' },
      { pick: ['x'] },
    ]) {
      const res = await consent(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'bad_request' });
    }
  });
});
