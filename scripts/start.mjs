// `npm start`: the studio (Vite dev server on :5173) and, when present, the simulated robot on :9090.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const children = [];
function launch(name, cmd, args) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const prefix = (line) => `[${name}] ${line}`;
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.on('data', (d) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop();
      lines.forEach((l) => console.log(prefix(l)));
    });
  }
  child.on('exit', (code) => {
    console.log(prefix(`exited with code ${code}`));
    if (name === 'studio') shutdown(code ?? 0);
  });
  children.push(child);
}

function shutdown(code) {
  children.forEach((c) => c.exitCode === null && c.kill('SIGTERM'));
  process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

if (existsSync('sim/src/main.ts')) launch('sim', 'node_modules/.bin/tsx', ['sim/src/main.ts']);
launch('studio', 'node_modules/.bin/vite', ['--port', '5173', '--strictPort']);
console.log('Path Studio: http://localhost:5173' + (existsSync('sim/src/main.ts') ? '  ·  simulated robot: ws://localhost:9090' : ''));
