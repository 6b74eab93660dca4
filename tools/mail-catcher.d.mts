// Types for tools/mail-catcher.mjs, so TypeScript tests can import it.
export interface CaughtMail {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  date: string;
}
export interface MailCatcher {
  smtpPort: number;
  httpPort: number;
  smtpUrl: string;
  httpUrl: string;
  messages(to?: string): CaughtMail[];
  clear(to?: string): void;
  close(): Promise<void>;
}
export function startMailCatcher(opts?: { smtpPort?: number; httpPort?: number; host?: string; quiet?: boolean }): Promise<MailCatcher>;
