#!/usr/bin/env node
// `npm test`: lint, type-check, unit and integration tests (real PostgreSQL and Redis), then the
// browser journeys in Chromium against the built product. Ends with one "N passed, N failed" line.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { buildAll, run } from './run.mjs';

mkdirSync('tmp', { recursive: true });
const steps = [];
const step = async (name, command, args) => {
  console.log(`\n▶ ${name}`);
  const code = await run(command, args);
  steps.push({ name, ok: code === 0 });
  return code === 0;
};

// The module-boundary lint rule reads Nx's project graph: compute it first (a clean clone has none).
await step('project graph', 'npx', ['nx', 'show', 'projects']);
await step('lint', 'npx', ['eslint', '.']);
await step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
await step('OpenAPI document and web client are current', 'node', ['tools/openapi.mjs', '--check']);
await step('unit and integration tests', 'npx', ['jest', '--json', '--outputFile=tmp/jest-report.json']);
console.log('\n▶ build');
await buildAll();
await step('browser journeys', 'npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts']);

let passed = 0;
let failed = 0;
if (existsSync('tmp/jest-report.json')) {
  const j = JSON.parse(readFileSync('tmp/jest-report.json', 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests;
}
if (existsSync('tmp/e2e-report.json')) {
  const p = JSON.parse(readFileSync('tmp/e2e-report.json', 'utf8'));
  passed += p.stats.expected;
  failed += p.stats.unexpected + (p.stats.flaky ?? 0);
}
const broken = steps.filter((s) => !s.ok);
console.log(`\n${steps.map((s) => `${s.ok ? '✔' : '✖'} ${s.name}`).join('\n')}`);
console.log(`Tests: ${passed} passed, ${failed} failed`);
process.exit(broken.length || failed ? 1 : 0);
