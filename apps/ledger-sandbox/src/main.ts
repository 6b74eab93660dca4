import { loadSandboxConfig } from './config';
import { buildSandbox } from './server';

async function main(): Promise<void> {
  const config = loadSandboxConfig();
  const { app, ctx } = await buildSandbox(config);
  await app.listen({ port: config.SANDBOX_PORT, host: config.SANDBOX_HOST });
  app.log.info(
    { url: config.url, companies: ctx.companies.list().map((c) => `${c.def.provider}:${c.def.name} (${c.def.transactions})`) },
    'Ledger sandbox ready',
  );
  console.log(`Ledger sandbox (QuickBooks Online + Xero) on ${config.url}  (control API ${config.url}/control, for tests only)`);
  // Ctrl-C in a terminal sends SIGINT to the whole group and tools/start.mjs then sends SIGTERM: stop once.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'Ledger sandbox stopping');
    await app.close().catch((err: Error) => app.log.error({ err }, 'Ledger sandbox did not close cleanly'));
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
