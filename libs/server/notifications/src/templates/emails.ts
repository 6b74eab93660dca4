import { renderEmail, type RenderedEmail } from './layout';

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
