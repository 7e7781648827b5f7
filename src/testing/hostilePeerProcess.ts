/** Starts the hostile rosbridge peer (`hostileRosbridgePeer.mjs`) as its own process. Node only. */
import { fileURLToPath } from 'node:url';
import { startProcess, stopProcess } from './childProcess';

export interface HostilePeerOptions {
  /** Hostile rounds before it sends only valid messages (default: no end). */
  rounds?: number;
  intervalMs?: number;
  /** One 50 MB frame per connection. */
  huge?: boolean;
}

const script = fileURLToPath(new URL('./hostileRosbridgePeer.mjs', import.meta.url));

export async function startHostilePeer(options: HostilePeerOptions = {}): Promise<{ url: string; stop(): Promise<void> }> {
  const args = [script, '--port', '0'];
  if (options.rounds !== undefined) args.push('--rounds', String(options.rounds));
  if (options.intervalMs !== undefined) args.push('--interval-ms', String(options.intervalMs));
  if (options.huge) args.push('--huge');
  const { child, ready } = await startProcess(process.execPath, args, { ready: /hostile rosbridge peer on :(\d+)/, name: 'the hostile rosbridge peer', timeoutMs: 20_000 });
  return { url: `ws://localhost:${ready[1]}`, stop: async () => void (await stopProcess(child)) };
}
