export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Text made safe to place in HTML (the emails, and the small pages the API serves itself). */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export interface EmailParts {
  subject: string;
  preheader?: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
  /** A firm's portal branding: its name heads the email, its accent colours the button. */
  brand?: EmailBrand;
}

export interface EmailBrand {
  name: string;
  accentColor?: string | null;
  logoUrl?: string | null;
}

/** The theme's primary (libs/web/ui ledgerportPalette[600]), as the portal shows it without branding. */
const DEFAULT_ACCENT = '#1f7469';
const HEX = /^#[0-9a-f]{6}$/i;

/** Renders one email in both plain text and simple, client-safe HTML. */
export function renderEmail(parts: EmailParts): RenderedEmail {
  const accent = parts.brand?.accentColor && HEX.test(parts.brand.accentColor) ? parts.brand.accentColor : DEFAULT_ACCENT;
  const text = [
    ...(parts.brand ? [parts.brand.name, ''] : []),
    parts.greeting,
    '',
    ...parts.paragraphs.flatMap((p) => [p, '']),
    ...(parts.action ? [`${parts.action.label}: ${parts.action.url}`, ''] : []),
    parts.footer ?? 'Ledgerport',
  ].join('\n');

  const html = `<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"></head><body style="margin:0;background:#f4f6f8;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2933">
<span style="display:none">${escapeHtml(parts.preheader ?? parts.subject)}</span>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px 8px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#fff;border-radius:8px;padding:24px">
${
  parts.brand
    ? `<tr><td style="padding:0 0 20px;border-bottom:1px solid #e4e7eb">${
        parts.brand.logoUrl
          ? `<img src="${escapeHtml(parts.brand.logoUrl)}" alt="${escapeHtml(parts.brand.name)}" height="40" style="max-height:40px;max-width:240px;display:block">`
          : `<strong style="font-size:17px;color:${accent}">${escapeHtml(parts.brand.name)}</strong>`
      }</td></tr><tr><td style="height:20px"></td></tr>`
    : ''
}
<tr><td style="font-size:15px;line-height:1.6;overflow-wrap:anywhere">
<p style="margin:0 0 16px">${escapeHtml(parts.greeting)}</p>
${parts.paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join('\n')}
${
  parts.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(parts.action.url)}" style="background:${accent};color:#fff;text-decoration:none;padding:12px 20px;border-radius:6px;display:inline-block">${escapeHtml(parts.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#52606d">If the button does not work, paste this link into your browser:<br>${escapeHtml(parts.action.url)}</p>`
    : ''
}
<p style="margin:24px 0 0;font-size:13px;color:#52606d">${escapeHtml(parts.footer ?? 'Ledgerport')}</p>
</td></tr></table></td></tr></table></body></html>`;
  return { subject: parts.subject, text, html };
}
