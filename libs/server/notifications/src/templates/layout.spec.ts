import { renderEmail } from './layout';
import {
  applicationReceivedEmail,
  firmApprovedEmail,
  passwordResetEmail,
  teamInvitationEmail,
} from './emails';

describe('renderEmail', () => {
  const url = 'https://lp.example.com/set-password?token=a1b2&next=%2Fclients';

  it('escapes names and text in the HTML, so a name cannot inject markup or script', () => {
    const { html } = renderEmail({
      subject: 'Hi <script>alert(1)</script>',
      greeting: 'Hello <script>alert("x")</script> & "Bob" O\'Neil,',
      paragraphs: ['<img src=x onerror=alert(1)> joined <b>Smith & Jones</b>'],
      action: { label: '<i>Go</i>', url },
      footer: '<a href="https://evil.test">footer</a>',
    });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
    expect(html).not.toContain('evil.test">');
    expect(html).toContain(
      'Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Bob&quot; O&#39;Neil,',
    );
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; joined &lt;b&gt;Smith &amp; Jones&lt;/b&gt;');
    expect(html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;i&gt;Go&lt;/i&gt;');
  });

  it('leaves the plain-text part as the person wrote it', () => {
    const { text, subject } = renderEmail({
      subject: 'S & J',
      greeting: 'Hello <script>x</script>,',
      paragraphs: ['A & B'],
    });
    expect(subject).toBe('S & J');
    expect(text).toBe('Hello <script>x</script>,\n\nA & B\n\nLedgerport');
  });

  it('carries the action URL in both the text and the HTML, as a link and as a fallback to paste', () => {
    const { text, html } = renderEmail({
      subject: 'Set it',
      greeting: 'Hello,',
      paragraphs: ['Go.'],
      action: { label: 'Set your password', url },
    });
    expect(text).toContain(`Set your password: ${url}`);
    expect(text.match(/https?:\/\/\S+/)?.[0]).toBe(url);
    const escaped = url.replace(/&/g, '&amp;');
    expect(html).toContain(`<a href="${escaped}"`);
    expect(html).toContain(`paste this link into your browser:<br>${escaped}</p>`);
  });

  it('cannot break out of the href attribute with a quote in the URL', () => {
    const { html } = renderEmail({
      subject: 's',
      greeting: 'g',
      paragraphs: [],
      action: { label: 'x', url: 'https://a.test/?q="><script>1</script>' },
    });
    expect(html).toContain('href="https://a.test/?q=&quot;&gt;&lt;script&gt;1&lt;/script&gt;"');
    expect(html).not.toMatch(/<script/i);
  });

  it('has no action block, link or fallback line without an action', () => {
    const { text, html } = renderEmail({ subject: 's', greeting: 'Hello,', paragraphs: ['One.', 'Two.'] });
    expect(text).toBe('Hello,\n\nOne.\n\nTwo.\n\nLedgerport');
    expect(html).not.toContain('<a ');
    expect(html).not.toContain('paste this link');
    expect(html).toContain('<p style="margin:0 0 16px">One.</p>');
  });
});

describe('the emails', () => {
  const url = 'https://lp.example.com/set-password?token=tok';
  const evil = '<script>alert(1)</script>';

  it.each([
    ['firm approved', firmApprovedEmail({ name: evil, firmName: `Evil ${evil} LLC`, url })],
    ['team invitation', teamInvitationEmail({ name: evil, firmName: 'Acme', inviterName: evil, url })],
    ['password reset', passwordResetEmail({ name: evil, url })],
  ])('%s: escapes every name in the HTML and carries the link in both parts', (_, email) => {
    expect(email.html).not.toMatch(/<script/i);
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.text).toContain(url);
    expect(email.html).toContain(`href="${url}"`);
  });

  it('application received: escapes the names and has no link', () => {
    const email = applicationReceivedEmail({ name: evil, firmName: `${evil} & Co` });
    expect(email.subject).toBe(`We received ${evil} & Co's application`);
    expect(email.html).not.toMatch(/<script/i);
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(email.text).not.toMatch(/https?:\/\//);
    expect(email.html).not.toContain('href=');
  });
});

describe('renderEmail with a firm brand', () => {
  it('heads the email with the portal name and colours the button with the accent', () => {
    const { html, text } = renderEmail({
      brand: { name: 'Northwind <Hub>', accentColor: '#123456' },
      subject: 'Sign in',
      greeting: 'Hello Maria,',
      paragraphs: ['Here is your link.'],
      action: { label: 'Sign in', url: 'https://lp.example.com/portal/northwind/sign-in-link?token=abc' },
    });
    expect(html).toContain('Northwind &lt;Hub&gt;');
    expect(html).toContain('background:#123456');
    expect(text.startsWith('Northwind <Hub>\n')).toBe(true);
  });

  it('shows the logo when there is one, and ignores an accent that is not a #rrggbb colour', () => {
    const { html } = renderEmail({
      brand: { name: 'Northwind', accentColor: 'red;background:url(x)', logoUrl: 'https://lp.example.com/api/v1/public/firms/northwind/logo?v=1' },
      subject: 's',
      greeting: 'g',
      paragraphs: [],
      action: { label: 'Go', url: 'https://lp.example.com/' },
    });
    expect(html).toContain('<img src="https://lp.example.com/api/v1/public/firms/northwind/logo?v=1" alt="Northwind"');
    expect(html).not.toContain('url(x)');
    expect(html).toContain('background:#1f7469');
  });
});
