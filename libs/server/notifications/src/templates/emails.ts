import { renderEmail, type EmailBrand, type RenderedEmail } from './layout';

export function firmApprovedEmail(p: { name: string; firmName: string; url: string }): RenderedEmail {
  return renderEmail({
    subject: `${p.firmName} is approved on Ledgerport`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `Good news: ${p.firmName} has been approved. You are its first administrator.`,
      'Choose a password to sign in, then add your clients and invite your team. The link works once and for 7 days.',
    ],
    action: { label: 'Set your password', url: p.url },
  });
}

export function teamInvitationEmail(p: { name: string; firmName: string; inviterName: string; url: string }): RenderedEmail {
  return renderEmail({
    subject: `${p.inviterName} invited you to ${p.firmName} on Ledgerport`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `${p.inviterName} has invited you to join ${p.firmName} on Ledgerport, where the firm works with its clients on their books.`,
      'Choose a password to set up your login. The link works once and for 7 days.',
    ],
    action: { label: 'Set up your login', url: p.url },
  });
}

export function passwordResetEmail(p: { name: string; url: string }): RenderedEmail {
  return renderEmail({
    subject: 'Reset your Ledgerport password',
    greeting: `Hello ${p.name},`,
    paragraphs: [
      'Someone (hopefully you) asked to reset the password of your Ledgerport login.',
      'The link works once and for 1 hour. If you did not ask for it, ignore this email: your password stays as it is.',
    ],
    action: { label: 'Choose a new password', url: p.url },
  });
}

export function applicationReceivedEmail(p: { name: string; firmName: string }): RenderedEmail {
  return renderEmail({
    subject: `We received ${p.firmName}'s application`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `Thank you for applying to run ${p.firmName} on Ledgerport.`,
      'We review every application by hand. When it is approved you will get an email with a link to set your password.',
    ],
  });
}

/* ---------- Client portal (contacts) ---------- */


export function contactInvitationEmail(p: {
  name: string;
  businessName: string;
  brand: EmailBrand;
  inviterName: string;
  url: string;
  portalUrl: string;
}): RenderedEmail {
  return renderEmail({
    brand: p.brand,
    subject: `${p.brand.name}: your client portal for ${p.businessName}`,
    preheader: `${p.inviterName} invited you to ${p.brand.name}, where you and your bookkeeper work on ${p.businessName}'s books.`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `${p.inviterName} invited you to ${p.brand.name}, the client portal where you and your bookkeeper work on ${p.businessName}'s books together.`,
      'In the portal you answer your bookkeeper’s questions about transactions (a photo of a receipt is often enough), and see the reports and files they share with you. No password needed: this button signs you in.',
      'The button works once and for 7 days. Later, sign in from the portal’s page (below) with a link we email you.',
    ],
    action: { label: `Open ${p.businessName}'s portal`, url: p.url },
    footer: `${p.brand.name} · ${p.portalUrl} · sent on behalf of your bookkeeper`,
  });
}

export function signInLinkEmail(p: { name: string; businessName: string; brand: EmailBrand; url: string }): RenderedEmail {
  return renderEmail({
    brand: p.brand,
    subject: `Your sign-in link for ${p.brand.name}`,
    preheader: 'This link signs you in once and works for 6 hours.',
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `Here is the link you asked for to sign in to ${p.businessName}'s portal.`,
      'It works once and for 6 hours. Asking for another link makes this one stop working. If you did not ask for it, ignore this email.',
    ],
    action: { label: 'Sign in', url: p.url },
    footer: `${p.brand.name} · sent on behalf of your bookkeeper`,
  });
}

export function contactPasswordResetEmail(p: { name: string; brand: EmailBrand; url: string }): RenderedEmail {
  return renderEmail({
    brand: p.brand,
    subject: `Reset your ${p.brand.name} password`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `Someone (hopefully you) asked to set or reset the password you use to sign in to ${p.brand.name}.`,
      'The link works once and for 1 hour. If you did not ask for it, ignore this email: nothing changes.',
    ],
    action: { label: 'Choose a password', url: p.url },
    footer: `${p.brand.name} · sent on behalf of your bookkeeper`,
  });
}

export function firmAccessGrantedEmail(p: { name: string; firmName: string; businessName: string; ownerName: string; url: string }): RenderedEmail {
  return renderEmail({
    subject: `${p.businessName} gave ${p.firmName} access on Ledgerport`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `${p.ownerName}, an owner of ${p.businessName}, gave ${p.firmName} access to the business through their client portal.`,
      `${p.businessName} is now one of your clients. Assign your team and connect its ledger to start working.`,
    ],
    action: { label: `Open ${p.businessName}`, url: p.url },
  });
}

export function firmAccessRevokedEmail(p: { name: string; firmName: string; businessName: string; ownerName: string }): RenderedEmail {
  return renderEmail({
    subject: `${p.businessName} removed ${p.firmName}'s access`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `${p.ownerName}, an owner of ${p.businessName}, removed ${p.firmName}'s access to the business in their client portal.`,
      `${p.businessName} no longer appears among your clients, and its contacts can no longer reach it through your portal. Talk to the client if this was not expected.`,
    ],
  });
}

/* ---------- Ledger connections ---------- */

export function connectionNeedsReconnectEmail(p: { name: string; clientName: string; providerLabel: string; companyName: string; url: string }): RenderedEmail {
  return renderEmail({
    subject: `${p.clientName}: reconnect ${p.providerLabel}`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `Ledgerport can no longer reach ${p.companyName} in ${p.providerLabel} for ${p.clientName}: the connection was revoked or has expired.`,
      `Until someone reconnects it, ${p.clientName}'s transactions stop updating. Reconnecting takes a minute: open the client and press Reconnect.`,
    ],
    action: { label: `Reconnect ${p.clientName}`, url: p.url },
  });
}

export function clientConnectedLedgerEmail(p: {
  name: string;
  contactName: string;
  clientName: string;
  providerLabel: string;
  companyName: string;
  reconnected: boolean;
  url: string;
}): RenderedEmail {
  return renderEmail({
    subject: `${p.clientName} ${p.reconnected ? 'reconnected' : 'connected'} ${p.providerLabel}`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `${p.contactName} ${p.reconnected ? 'reconnected' : 'connected'} ${p.clientName} to ${p.companyName} in ${p.providerLabel} from the client portal.`,
      `Check the connection's class tracking and default accounts on the client's page.`,
    ],
    action: { label: `Open ${p.clientName}`, url: p.url },
  });
}
