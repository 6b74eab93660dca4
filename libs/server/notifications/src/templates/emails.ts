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

/* ---------- Questions (Q9) ---------- */

export interface QuestionLine {
  reference: string;
  text: string;
  /** "Lyft · -42.50 USD · 2 Nov 2026" for a transaction question, else null. */
  about: string | null;
  dueOn: string | null;
}

const questionParagraphs = (questions: QuestionLine[]): string[] =>
  questions.map((q) => `${q.reference}${q.about ? ` · ${q.about}` : ''}: ${q.text}${q.dueOn ? ` (please answer by ${q.dueOn})` : ''}`);

const plural = (n: number, one: string, many: string) => (n === 1 ? one : `${n} ${many}`);

/** One email for questions asked close together (or the daily / weekly summary). */
export function questionDigestEmail(p: {
  name: string;
  businessName: string;
  brand: EmailBrand;
  firmName: string;
  questions: QuestionLine[];
  url: string;
  settingsUrl: string;
}): RenderedEmail {
  const what = plural(p.questions.length, 'a question', 'questions');
  return renderEmail({
    brand: p.brand,
    subject: `${p.firmName} has ${what} about ${p.businessName}`,
    preheader: p.questions[0] ? `${p.questions[0].reference}: ${p.questions[0].text}` : undefined,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `${p.firmName} has ${what} for you about ${p.businessName}. A short answer, a category or a photo of the receipt is usually enough.`,
      ...questionParagraphs(p.questions),
      'The button signs you in and opens your questions. It works once and for 6 hours.',
    ],
    action: { label: p.questions.length === 1 ? 'Answer the question' : 'Answer the questions', url: p.url },
    footer: `${p.brand.name} · sent on behalf of your bookkeeper · how often we email you: ${p.settingsUrl}`,
  });
}

/** A reminder of questions still waiting for an answer, with a one-click way to stop reminders. */
export function questionReminderEmail(p: {
  name: string;
  businessName: string;
  brand: EmailBrand;
  firmName: string;
  questions: QuestionLine[];
  url: string;
  unsubscribeUrl: string;
}): RenderedEmail {
  const what = plural(p.questions.length, 'A question', 'questions');
  return renderEmail({
    brand: p.brand,
    subject: `Reminder: ${p.questions.length === 1 ? 'a question' : what} from ${p.firmName} ${p.questions.length === 1 ? 'is' : 'are'} waiting for you`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `${p.questions.length === 1 ? 'A question' : `${p.questions.length} questions`} about ${p.businessName} ${p.questions.length === 1 ? 'is' : 'are'} still waiting for your answer:`,
      ...questionParagraphs(p.questions),
      'The button signs you in and opens your questions. It works once and for 6 hours.',
      `No more reminders: ${p.unsubscribeUrl}`,
    ],
    action: { label: 'Answer now', url: p.url },
    footer: `${p.brand.name} · sent on behalf of your bookkeeper`,
  });
}

export interface AnswerLine {
  reference: string;
  clientName: string;
  contactName: string;
  body: string;
  category: string | null;
  url: string;
}

/** Tells a staff member that clients answered questions they follow up. */
export function answersEmail(p: { name: string; answers: AnswerLine[]; url: string }): RenderedEmail {
  const one = p.answers.length === 1 ? p.answers[0] : undefined;
  return renderEmail({
    subject: one ? `${one.contactName} answered ${one.reference} (${one.clientName})` : `${p.answers.length} answers from your clients`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      one ? `${one.contactName} at ${one.clientName} answered ${one.reference}.` : 'Your clients answered these questions:',
      ...p.answers.map(
        (a) =>
          `${one ? '' : `${a.reference} (${a.clientName}), ${a.contactName}: `}${a.body ? `“${a.body}”` : 'no words'}${a.category ? ` · picked ${a.category}` : ''} · ${a.url}`,
      ),
    ],
    action: { label: one ? 'Open the question' : 'Open the questions', url: one ? one.url : p.url },
    footer: 'Ledgerport · change how often you hear about answers in your settings',
  });
}
