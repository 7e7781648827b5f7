// `npm run bench`: runs every benchmark in Node (bench/node) and in headless Chromium against the
// production build (bench/browser), prints a table and writes bench/results/latest.json.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ensureSystemDeps } from './ensureSystemDeps.mjs';

ensureSystemDeps();
const only = process.argv.slice(2); // optional name filters
const pick = (dir) => readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).filter((f) => !only.length || only.some((o) => f.includes(o))).map((f) => `${dir}/${f}`);
const figures = [];

function runBench(file, env = {}) {
  console.log(`\n▶ ${file}`);
  const r = spawnSync('npx', ['tsx', file], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  process.stderr.write(r.stderr ?? '');
  for (const line of (r.stdout ?? '').split('\n')) {
    if (line.startsWith('BENCH ')) figures.push({ ...JSON.parse(line.slice(6)), source: file });
    else if (line.trim()) console.log(`  ${line}`);
  }
  if (r.status !== 0) figures.push({ metric: `${file} FAILED`, value: NaN, unit: '', note: `exit ${r.status}` });
}

for (const f of pick('bench/node')) runBench(f);

const browserBenches = pick('bench/browser');
// Benchmarks time the studio through its automation objects (src/app/automation.ts).
spawnSync('npx', ['vite', 'build'], { stdio: 'inherit', env: { ...process.env, VITE_PATH_STUDIO_AUTOMATION: '1' } });
// Initial JavaScript: the entry chunk and everything index.html preloads, gzipped.
const html = readFileSync('dist/index.html', 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gz = initial.reduce((sum, f) => sum + gzipSync(readFileSync(`dist/${f}`)).length, 0);
figures.push({ metric: 'bundle.initialJs.gzip', value: +(gz / 1024).toFixed(1), unit: 'KB', target: '≤ 250', note: initial.join(', '), source: 'scripts/bench.mjs' });

if (browserBenches.length) {
  const server = spawn('npx', ['vite', 'preview', '--port', '4173', '--strictPort'], { stdio: 'ignore', detached: true });
  await new Promise((r) => setTimeout(r, 2500));
  try {
    for (const f of browserBenches) runBench(f, { BENCH_BASE_URL: 'http://localhost:4173' });
  } finally {
    process.kill(-server.pid, 'SIGTERM');
  }
}

console.log('\n| metric | value | unit | target | note |\n| --- | --- | --- | --- | --- |');
for (const f of figures) console.log(`| ${f.metric} | ${f.value} | ${f.unit} | ${f.target ?? ''} | ${f.note ?? ''} |`);
mkdirSync('bench/results', { recursive: true });
const out = { date: new Date().toISOString(), machine: `${(await import('node:os')).cpus().length} cores, ${(await import('node:os')).cpus()[0]?.model ?? ''}`, figures };
writeFileSync('bench/results/latest.json', JSON.stringify(out, null, 2));
console.log('\nwritten: bench/results/latest.json');
