/**
 * A recorded robot: plays back a list of timestamped link events (fixtures, saved sessions) through
 * the same `RobotLink` interface as the live one, and keeps every command it is sent. Tests drive
 * the console with it; `advance()` steps time by hand so they never depend on the wall clock.
 */
import { Emitter } from './emitter';
import type { LinkCounters, LinkEvents, LinkStatus, RobotLink, Twist, Unsubscribe } from './types';

export type RecordedEvent = { [K in keyof LinkEvents]: { t: number; event: K; value: LinkEvents[K] } }[keyof LinkEvents];

export interface SentCommand {
  t: number;
  twist?: Twist;
  gripper?: number;
}

export class RecordedLink implements RobotLink {
  private readonly events = new Emitter<LinkEvents>();
  private clock = 0;
  private cursor = 0;
  readonly sent: SentCommand[] = [];
  readonly counters: LinkCounters = { received: 0, malformed: 0, oversized: 0, sentTwists: 0, sentGrippers: 0, refusedCommands: 0, withheldMotion: 0, maxSilenceAtMotionMs: 0 };
  status: LinkStatus = { state: 'idle', url: 'recording:', attempt: 0, since: 0 };

  constructor(private readonly recording: RecordedEvent[]) {
    this.recording = [...recording].sort((a, b) => a.t - b.t);
  }

  on<K extends keyof LinkEvents>(event: K, handler: (value: LinkEvents[K]) => void): Unsubscribe {
    return this.events.on(event, handler);
  }

  connect(): void {
    this.setState('connected');
  }

  disconnect(): void {
    if (this.status.state === 'connected') this.sendTwist({ linear: [0, 0, 0], angular: [0, 0, 0] });
    this.setState('closed', 'disconnected by the operator');
  }

  /** Simulates the robot going away (a killed process). */
  drop(reason = 'the robot closed the connection'): void {
    this.setState('reconnecting', reason);
  }

  sendTwist(twist: Twist): boolean {
    if (this.status.state !== 'connected') return void this.counters.refusedCommands++, false;
    this.sent.push({ t: this.clock, twist });
    this.counters.sentTwists++;
    return true;
  }

  sendGripper(gripper: number): boolean {
    if (this.status.state !== 'connected') return void this.counters.refusedCommands++, false;
    this.sent.push({ t: this.clock, gripper });
    this.counters.sentGrippers++;
    return true;
  }

  /** Moves the clock forward, delivering every recorded event up to the new time. */
  advance(ms: number): void {
    this.clock += ms;
    while (this.cursor < this.recording.length && this.recording[this.cursor].t <= this.clock) {
      const e = this.recording[this.cursor++];
      if (this.status.state !== 'connected') continue;
      this.counters.received++;
      (this.events.emit as (k: string, v: unknown) => void)(e.event, e.value);
    }
  }

  get now(): number {
    return this.clock;
  }

  private setState(state: LinkStatus['state'], error?: string): void {
    this.status = { state, url: 'recording:', error, attempt: 0, since: this.clock };
    this.events.emit('status', this.status);
  }
}
