/** A free TCP port for a server a benchmark starts: `envVar` when set, else the first free one from `from`. */
import { createServer } from 'node:net';

export async function freePort(envVar: string, from = 6100, to = 6199): Promise<number> {
  if (process.env[envVar]) return Number(process.env[envVar]);
  for (let port = from; port <= to; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}–${to}: set ${envVar}`);
}
