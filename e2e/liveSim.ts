/** Starts and kills the simulated robot for the Live browser tests (Node side of Playwright). */
import { spawn, type ChildProcess } from 'node:child_process';

export interface SimProcess {
  port: number;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGSTOP / SIGCONT to the whole process group: a robot that freezes and resumes. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void;
}

export async function startSim(port: number, seed = 1): Promise<SimProcess> {
  const child = spawn('npx', ['tsx', 'sim/src/main.ts', '--port', String(port), '--host', '127.0.0.1', '--seed', String(seed)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the sim did not start on :${port} within 60 s:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('rosbridge v2 on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sim exited (${code}) before starting:\n${out}`));
    });
  });
  return {
    port,
    child,
    signal: (signal) => process.kill(-child.pid!, signal),
    kill: async (signal: NodeJS.Signals = 'SIGKILL') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      // The whole process group: npx → tsx → node.
      try { process.kill(-child.pid!, signal); } catch { child.kill(signal); }
      await exited;
    },
  };
}
