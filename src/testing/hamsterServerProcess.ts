/**
 * Starts the HAMSTER server.py stand-in (`hamsterServer.mjs`) as its own process for unit and
 * browser tests, and stops it. Node only.
 */
import { fileURLToPath } from 'node:url';
import { startProcess, stopProcess } from './childProcess';

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
  const { child, ready, output } = await startProcess(process.execPath, args, { ready: /Uvicorn running on http:\/\/[\d.]+:(\d+)/, name: 'the HAMSTER server stand-in', timeoutMs: 20_000 });
  const port = Number(ready[1]);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    output,
    stop: async () => void (await stopProcess(child)),
  };
}
