/**
 * Team mode in several tabs of one browser (docs/TEAMS.md, Several tabs). The tabs share one
 * IndexedDB, so two engines would mirror the same records into the same replica from two queues —
 * and an older state could then overwrite a fresher edit. So exactly one tab, the **lead**, runs the
 * engine: a Web Lock elects it, and the next tab in line takes over when it closes. The others
 * show the lead's state (sent on every change) and ask the lead to act for them (sign in, join,
 * fetch an image, resolve a conflict…), over a BroadcastChannel; what they write to IndexedDB
 * reaches the lead's engine through the change feed's cross-tab channel (storage/changeFeed.ts).
 *
 * Where Web Locks do not exist (Node, tests), every tab leads.
 */
import { errorMessage } from '../../core/errorMessage';

const LOCK = 'path-studio.team-engine';
const CHANNEL = 'path-studio.team-tabs';

type Message =
  | { kind: 'hello' }
  | { kind: 'state'; state: unknown }
  | { kind: 'call'; id: string; method: string; args: unknown[] }
  | { kind: 'reply'; id: string; ok: boolean; value?: unknown; error?: string };

interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<unknown>): Promise<unknown>;
  request(name: string, callback: (lock: unknown) => Promise<unknown>): Promise<unknown>;
}

const forever = () => new Promise<never>(() => undefined);

export interface TabsHandlers {
  /** This tab leads now (after another one closed): start the engine; resolves once it runs. */
  onLead: () => Promise<void>;
  /** The lead's state, as it changes (this tab follows). */
  onState: (state: unknown) => void;
  /** A following tab asks the lead to run `method` (the lead's side). */
  onCall: (method: string, args: unknown[]) => Promise<unknown>;
  /** The lead's current state, for a tab that just opened (the lead's side). */
  currentState: () => unknown;
}

export class TeamTabs {
  private channel: BroadcastChannel | null = null;
  private leading = true;
  private readonly waiting = new Map<string, { method: string; args: unknown[]; resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private readonly tabId = Math.random().toString(36).slice(2);

  constructor(private readonly handlers: TabsHandlers) {}

  get isLead(): boolean {
    return this.leading;
  }

  /** Other tabs can be told and asked (the browser has Web Locks and BroadcastChannel). */
  get shared(): boolean {
    return this.channel !== null;
  }

  /**
   * Leads if no other tab does (true), or follows the one that does (false) and takes over when it
   * closes (`onLead`).
   */
  async claim(): Promise<boolean> {
    const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
    if (!locks || typeof BroadcastChannel === 'undefined') return true;
    this.channel = new BroadcastChannel(CHANNEL);
    this.channel.onmessage = (event: MessageEvent<Message>) => void this.receive(event.data);
    this.leading = await new Promise<boolean>((resolve) => {
      void locks.request(LOCK, { ifAvailable: true }, async (lock) => {
        resolve(lock !== null);
        if (lock !== null) return forever();
        // Wait in line, outside this callback (which releases nothing: it holds no lock).
        void locks.request(LOCK, async () => {
          await this.takeOver();
          return forever();
        });
        return undefined;
      });
    });
    if (!this.leading) this.post({ kind: 'hello' });
    return this.leading;
  }

  /** The lead tells the others its new state. */
  publish(state: unknown): void {
    if (this.leading) this.post({ kind: 'state', state });
  }

  /**
   * A following tab asks the lead to run `method`; rejects if the lead throws. A call the lead did
   * not answer before it closed runs here once this tab has taken over — as after a reload, when
   * the page that was this tab still holds the lock for a moment.
   */
  call<T>(method: string, args: unknown[]): Promise<T> {
    const id = `${this.tabId}-${this.nextId++}`;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { method, args, resolve: resolve as (value: unknown) => void, reject });
      this.post({ kind: 'call', id, method, args });
    });
  }

  private async takeOver(): Promise<void> {
    this.leading = true;
    await this.handlers.onLead();
    for (const [id, call] of this.waiting) {
      this.waiting.delete(id);
      this.handlers.onCall(call.method, call.args).then(call.resolve, call.reject);
    }
  }

  private async receive(message: Message): Promise<void> {
    if (!message || typeof message !== 'object') return;
    if (this.leading) {
      if (message.kind === 'hello') this.publish(this.handlers.currentState());
      else if (message.kind === 'call') {
        try {
          this.post({ kind: 'reply', id: message.id, ok: true, value: await this.handlers.onCall(message.method, message.args) });
        } catch (err) {
          this.post({ kind: 'reply', id: message.id, ok: false, error: errorMessage(err) });
        }
      }
      return;
    }
    if (message.kind === 'state') this.handlers.onState(message.state);
    else if (message.kind === 'reply') {
      const call = this.waiting.get(message.id);
      if (!call) return; // another tab's
      this.waiting.delete(message.id);
      if (message.ok) call.resolve(message.value);
      else call.reject(new Error(message.error));
    }
  }

  private post(message: Message): void {
    this.channel?.postMessage(message);
  }
}
