import type { Unsubscribe } from './types';

/**
 * A typed event emitter small enough to read in one go. Handlers that throw are isolated: one
 * broken listener (a view) must never stop the others (the safety logic) from hearing an event.
 */
export class Emitter<Events extends object> {
  private readonly handlers = new Map<keyof Events, Set<(v: never) => void>>();
  onError: (err: unknown) => void = (err) => console.error(err);

  on<K extends keyof Events>(event: K, handler: (value: Events[K]) => void): Unsubscribe {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as (v: never) => void);
    return () => set.delete(handler as (v: never) => void);
  }

  emit<K extends keyof Events>(event: K, value: Events[K]): void {
    const set = this.handlers.get(event);
    if (!set) return;
    for (const h of [...set]) {
      try {
        (h as (v: Events[K]) => void)(value);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}
