/**
 * Starts a program the tests talk to (the simulator, the HAMSTER server stand-in, a hostile
 * rosbridge peer) as its own process, and waits for the line that says it is ready. Node only.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface StartedProcess {
  child: ChildProcess;
  /** The ready line's match (e.g. the port the program bound). */
  ready: RegExpExecArray;
  /** Everything the program printed so far, stdout and stderr. */
  output(): string;
}

export interface StartOptions {
  /** What the program prints once it serves. */
  ready: RegExp;
  /** For messages: "the simulator", "the HAMSTER server stand-in". */
  name: string;
  timeoutMs?: number;
  /** Its own process group, so a signal reaches every process it started (npx → tsx → node). */
  detached?: boolean;
}

export function startProcess(command: string, args: string[], options: StartOptions): Promise<StartedProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
  let out = '';
  const collect = (d: Buffer) => (out += d.toString());
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} did not start within ${timeoutMs / 1000} s:\n${out}`)), timeoutMs);
    const check = () => {
      const ready = options.ready.exec(out);
      if (!ready) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      resolve({ child, ready, output: () => out });
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${code}) before starting:\n${out}`));
    });
  });
}

/** Stops a started process (its whole group when it was started detached) and waits for it to exit. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', group = false): Promise<{ at: number; exitedAt: number }> {
  const at = Date.now();
  if (child.exitCode !== null || child.signalCode !== null) return { at, exitedAt: at };
  const exited = new Promise<number>((r) => child.once('exit', () => r(Date.now())));
  try {
    if (group) process.kill(-child.pid!, signal);
    else child.kill(signal);
  } catch {
    child.kill(signal);
  }
  return { at, exitedAt: await exited };
}
