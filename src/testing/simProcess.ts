/** Starts, freezes and kills the simulator as a separate process (the Live browser tests and the live benchmarks). */
import type { ChildProcess } from 'node:child_process';
import { startProcess, stopProcess } from './childProcess';

export interface SimProcess {
  port: number;
  child: ChildProcess;
  /**
   * Kills the whole process group (npx → tsx → node); returns the epoch ms of the kill and of the
   * moment Node saw it exit. (On a loaded machine the dying processes themselves wait for CPU: the
   * kernel has closed their sockets by the time Node sees the exit.)
   */
  kill(signal?: NodeJS.Signals): Promise<{ at: number; exitedAt: number }>;
  /** SIGSTOP / SIGCONT to the whole process group: a robot that freezes and resumes. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void;
}

export async function startSim(port: number, seed = 1): Promise<SimProcess> {
  const { child } = await startProcess('npx', ['tsx', 'sim/src/main.ts', '--port', String(port), '--host', '127.0.0.1', '--seed', String(seed)], {
    ready: /rosbridge v2 on/, name: `the simulator on :${port}`, detached: true,
  });
  return {
    port,
    child,
    signal: (signal) => process.kill(-child.pid!, signal),
    kill: (signal: NodeJS.Signals = 'SIGKILL') => stopProcess(child, signal, true),
  };
}
