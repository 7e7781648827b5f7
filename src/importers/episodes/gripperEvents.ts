/**
 * Gripper open/close events from a continuous gripper signal, with hysteresis so that sensor noise
 * around one threshold does not produce a burst of events.
 */
import type { GripperState } from '../../core/path';

export interface HysteresisOptions {
  /** Value (after normalising to 0 open … 1 closed) at or above which an open gripper counts as closed. */
  closeAbove: number;
  /** Value at or below which a closed gripper counts as open again. */
  openBelow: number;
  /** True when larger raw values mean *more open* (e.g. finger width in metres, SO-101's 0…100 opening). */
  inverted: boolean;
}

export const DEFAULT_HYSTERESIS: HysteresisOptions = { closeAbove: 0.6, openBelow: 0.4, inverted: false };

export interface GripperEvent {
  frame: number;
  state: GripperState;
}

/** Rescales a raw signal to 0 … 1 by its own range, so thresholds work for any unit. */
export function normalizeSignal(values: readonly number[], inverted = false): number[] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const span = hi - lo;
  return values.map((v) => {
    const t = span > 1e-12 ? (v - lo) / span : 0;
    return inverted ? 1 - t : t;
  });
}

/**
 * Per-frame gripper state (the state *during* frame i) and the frames where it changes. The signal
 * is taken as already normalised to 0 … 1 when `absolute` is true (the sim's gripper measures
 * closure 0 … 1); otherwise it is rescaled by its own range first.
 */
export function gripperStates(signal: readonly number[], opts: HysteresisOptions = DEFAULT_HYSTERESIS, absolute = false): { states: GripperState[]; events: GripperEvent[] } {
  if (opts.openBelow > opts.closeAbove) throw new Error('the open threshold must not be above the close threshold');
  const x = absolute ? signal.map((v) => (opts.inverted ? 1 - v : v)) : normalizeSignal(signal, opts.inverted);
  const states: GripperState[] = [];
  const events: GripperEvent[] = [];
  let state: GripperState = x.length && x[0] >= opts.closeAbove ? 'closed' : 'open';
  for (let i = 0; i < x.length; i++) {
    if (state === 'open' && x[i] >= opts.closeAbove) { state = 'closed'; events.push({ frame: i, state }); }
    else if (state === 'closed' && x[i] <= opts.openBelow) { state = 'open'; events.push({ frame: i, state }); }
    states.push(state);
  }
  return { states, events };
}
