// `npm test`: installs what is missing on a fresh machine, then runs unit and browser tests
// and prints one closing line with the totals.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { ensureSystemDeps } from './ensureSystemDeps.mjs';

ensureSystemDeps();
if (!existsSync('node_modules/.bin/vitest')) run('npm', ['install']);
mkdirSync('test-results', { recursive: true });

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

const steps = [];
steps.push(['typecheck', run('npx', ['tsc', '--noEmit', '-p', '.'])]);
steps.push(['lint', run('npx', ['eslint', '.'])]);
const unit = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/unit.json']);
steps.push(['unit', unit]);
if (existsSync('training/tests') && existsSync('/usr/bin/python3')) steps.push(['trainer', run('/usr/bin/python3', ['-m', 'unittest', 'discover', '-s', 'training/tests', '-v'])]);
const e2e = run('npx', ['playwright', 'test']);
steps.push(['browser', e2e]);

let passed = 0, failed = 0, skipped = 0;
try {
  const u = JSON.parse(readFileSync('test-results/unit.json', 'utf8'));
  passed += u.numPassedTests; failed += u.numFailedTests; skipped += u.numPendingTests + (u.numTodoTests ?? 0);
} catch { failed += unit ? 1 : 0; }
try {
  const e = JSON.parse(readFileSync(process.env.E2E_PORT ? `test-results/e2e-${process.env.E2E_PORT}.json` : 'test-results/e2e.json', 'utf8')).stats;
  passed += e.expected + e.flaky; failed += e.unexpected; skipped += e.skipped;
} catch { failed += e2e ? 1 : 0; }
const bad = steps.filter(([, code]) => code !== 0).map(([name]) => name);
if (bad.length && failed === 0) failed = bad.length;
console.log(`\nSteps: ${steps.map(([n, c]) => `${n} ${c === 0 ? 'ok' : 'FAILED'}`).join(', ')}`);
console.log(`Summary: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(bad.length ? 1 : 0);
