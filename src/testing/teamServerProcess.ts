/**
 * Starts the embedded team server (`scripts/teamServer.mjs`, what `npm run server` runs) as its own
 * process for the team browser test, and kills it — the server going away mid-sync — to start it
 * again on the same port and data folder. Node only.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startProcess, stopProcess } from './childProcess';

export interface TeamServerOptions {
  /** The data folder (kept across a kill and a restart). */
  dir: string;
  /** 0 picks a free one; a restart passes the first start's. */
  port?: number;
  /** `name:password` of the server admin. */
  admin: string;
  /** `name:password[:role+role]` of each user to create. */
  users?: string[];
  /** The studio's origin(s) the server allows (CORS). */
  origins: string[];
}

export interface TeamServerProcess {
  /** `http://localhost:PORT/`: the host name the studio's page uses, so its session cookie is same-site. */
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** SIGKILL by default: the server disappears mid-request, as a crash or a pulled cable would. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const script = fileURLToPath(new URL('../../scripts/teamServer.mjs', import.meta.url));

/** HTTP basic authorization for one of the server's users, given as "name:password". */
export const basicAuth = (credentials: string): string => `Basic ${Buffer.from(credentials).toString('base64')}`;

/** `fetch` as that user (as a script, or another browser signed in as them, would). */
export const fetchAs = (credentials: string): typeof fetch => (input, init = {}) =>
  fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: basicAuth(credentials) } });

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startTeamServer(options: TeamServerOptions): Promise<TeamServerProcess> {
  const port = options.port || (await freePort());
  const args = [script, '--port', String(port), '--host', '127.0.0.1', '--dir', options.dir, '--admin', options.admin];
  for (const u of options.users ?? []) args.push('--user', u);
  for (const o of options.origins) args.push('--origin', o);
  const { child, output } = await startProcess(process.execPath, args, { ready: /team server .* on http:\/\/[\d.]+:(\d+)\//, name: `the team server on :${port}`, timeoutMs: 30_000 });
  return {
    url: `http://localhost:${port}/`,
    port,
    child,
    output,
    kill: async (signal: NodeJS.Signals = 'SIGKILL') => void (await stopProcess(child, signal)),
  };
}
