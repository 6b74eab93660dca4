#!/usr/bin/env node
// Runs the operator CLI (`npm run firm:approve -- <email-or-id>`), building the server first if needed.
import { mustRun, run } from './run.mjs';

await mustRun('npx', ['nx', 'run', 'api:build', '--outputStyle=static', '--verbose=false'], { stdio: ['inherit', 'ignore', 'inherit'] });
process.exit(await run('node', ['dist/server/apps/api/src/cli.js', ...process.argv.slice(2)]));
