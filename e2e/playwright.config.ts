import { defineConfig } from '@playwright/test';

/**
 * Browser journeys in Debian's Chromium (/usr/bin/chromium) against the built product, served by
 * tools/e2e-server.mjs on its own port with a fresh database seeded with the demo data, a mail
 * catcher (SMTP + HTTP) and a test OpenID provider standing in for Google, on ports derived from it.
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_DATABASE_URL =
  process.env.E2E_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ledgerport_e2e';
/** Redis key prefix of the e2e server's API and worker, and of the operator CLI the tests run. */
export const E2E_REDIS_PREFIX = process.env.REDIS_PREFIX ?? `lpe2e-${E2E_PORT}`;
/** tools/mail-catcher.mjs: the product sends over SMTP here; tests read the mail over HTTP. */
export const E2E_MAIL_SMTP_PORT = Number(process.env.MAIL_SMTP_PORT ?? E2E_PORT + 25);
export const E2E_MAIL_HTTP_PORT = Number(process.env.MAIL_HTTP_PORT ?? E2E_PORT + 26);
export const E2E_SMTP_URL = `smtp://127.0.0.1:${E2E_MAIL_SMTP_PORT}`;
/** tools/oidc-test-provider.mjs: the API's GOOGLE_ISSUER_URL. */
export const E2E_OIDC_PORT = Number(process.env.OIDC_PORT ?? E2E_PORT + 27);

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: '../tmp/e2e-results',
  reporter: [['list'], ['json', { outputFile: '../tmp/e2e-report.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'node tools/e2e-server.mjs',
    cwd: '..',
    url: `http://127.0.0.1:${E2E_PORT}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(E2E_PORT),
      DATABASE_URL: E2E_DATABASE_URL,
      REDIS_PREFIX: E2E_REDIS_PREFIX,
      MAIL_SMTP_PORT: String(E2E_MAIL_SMTP_PORT),
      MAIL_HTTP_PORT: String(E2E_MAIL_HTTP_PORT),
      OIDC_PORT: String(E2E_OIDC_PORT),
    },
  },
});
