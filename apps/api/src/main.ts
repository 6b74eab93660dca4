import { ConfigError, loadConfig } from '@ledgerport/server/config';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp();
  await app.listen({ port: config.PORT, host: config.HOST });
  app.getHttpServer().keepAliveTimeout = 65_000;
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error('Ledgerport API failed to start:', err);
  }
  process.exit(1);
});
