/** Reconnect delays: exponential from `baseMs`, capped, with ± jitter so many clients do not retry in step. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay added or removed at random (0 … 1). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 5000, jitter: 0.2 };

/** Delay before attempt `attempt` (1 = first retry). */
export function reconnectDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const raw = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  const j = raw * opts.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(raw + j));
}
