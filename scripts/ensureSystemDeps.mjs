// Installs the Debian packages the tests need (scripts/system-deps.txt) when they are missing.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const has = (probe) => (probe.startsWith('/') ? existsSync(probe) : (() => { try { execSync(`command -v ${probe}`, { stdio: 'ignore' }); return true; } catch { return false; } })());

export function ensureSystemDeps(file = new URL('./system-deps.txt', import.meta.url)) {
  const wanted = readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => l.split(/\s+/));
  const missing = wanted.filter(([, probe]) => !has(probe)).map(([pkg]) => pkg);
  if (!missing.length) return;
  console.log(`Installing missing Debian packages: ${missing.join(' ')}`);
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  execSync(`${sudo}apt-get update -qq && ${sudo}DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`, { stdio: 'inherit', shell: '/bin/bash' });
}

if (import.meta.url === `file://${process.argv[1]}`) ensureSystemDeps();
