/**
 * Starts the HAMSTER server.py stand-in (`hamsterServer.mjs`) as its own process for unit and
 * browser tests, and stops it. Node only.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface HamsterServerProcess {
  /** `http://127.0.0.1:PORT` — server.py's base URL (its route is `/chat/completions`, no `/v1`). */
  url: string;
  port: number;
  /** Everything the server printed so far (uvicorn access lines, `User:`, `Prompt input:`). */
  output(): string;
  stop(): Promise<void>;
}

export interface HamsterServerOptions {
  /** `--model-path`: the checkpoint folder; its last component is the only model name it serves. */
  modelPath: string;
  answer?: string;
  delayMs?: number;
}

const script = fileURLToPath(new URL('./hamsterServer.mjs', import.meta.url));

export async function startHamsterServer(options: HamsterServerOptions): Promise<HamsterServerProcess> {
  const args = [script, '--model-path', options.modelPath, '--port', '0', '--host', '127.0.0.1'];
  if (options.answer !== undefined) args.push('--answer', options.answer);
  if (options.delayMs !== undefined) args.push('--delay-ms', String(options.delayMs));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the HAMSTER server stand-in did not start within 20 s:\n${out}`)), 20_000);
    const check = () => {
      const m = /Uvicorn running on http:\/\/[\d.]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the HAMSTER server stand-in exited (${code}) before starting:\n${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
