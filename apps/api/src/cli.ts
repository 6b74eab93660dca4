import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@ledgerport/server/config';
import { createDataSource, ensureDatabase, runMigrations } from '@ledgerport/server/db';
import { seedDemo, seedDemoQuestions } from '@ledgerport/server/demo';
import { FirmsService } from '@ledgerport/server/firms';
import { AppModule } from './app.module';

const USAGE = `Usage:
  ledgerport db:setup [--seed]          create the database if missing, run migrations, optionally seed demo data
  ledgerport firm:approve <email-or-id>  approve a pending firm; its applicant is emailed an invitation
  ledgerport firm:list [pending|approved]
  ledgerport demo:questions              add the demo's questions once Acme and Birch are synced (npm start does)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const config = loadConfig();
  switch (command) {
    case 'db:setup': {
      if (await ensureDatabase(config.DATABASE_URL)) console.log(`Created database ${new URL(config.DATABASE_URL).pathname.slice(1)}`);
      const ran = await runMigrations(config.DATABASE_URL);
      console.log(ran.length ? `Ran migrations: ${ran.join(', ')}` : 'Database schema is up to date');
      if (args.includes('--seed')) {
        const ds = createDataSource(config.DATABASE_URL);
        await ds.initialize();
        try {
          console.log((await seedDemo(ds)) ? 'Seeded the demo data (see README: demo accounts)' : 'Database already has firms; demo data not added');
        } finally {
          await ds.destroy();
        }
      }
      return 0;
    }
    case 'demo:questions': {
      const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
      try {
        for (const line of await seedDemoQuestions(app)) console.log(line);
        return 0;
      } finally {
        await app.close();
      }
    }
    case 'firm:approve':
    case 'firm:list': {
      if (command === 'firm:approve' && !args[0]) {
        console.error('Say which firm: npm run firm:approve -- <applicant email or firm id>');
        return 2;
      }
      const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
      try {
        const firms = app.get(FirmsService);
        if (command === 'firm:list') {
          const status = args[0] === 'pending' || args[0] === 'approved' ? args[0] : undefined;
          for (const f of await firms.listForOperator(status)) {
            console.log(`${f.id}  ${f.status.padEnd(8)}  ${f.name}  <${f.contactEmail}>`);
          }
          return 0;
        }
        const firm = await firms.approve(args[0], 'Platform operator (CLI)');
        console.log(`Approved ${firm.name} (${firm.id}). ${firm.contact_name} <${firm.contact_email}> was emailed an invitation.`);
        return 0;
      } catch (err) {
        console.error((err as Error).message);
        return 1;
      } finally {
        await app.close();
      }
    }
    default:
      console.error(USAGE);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  });
