/**
 * Commands as declarative objects (Excalidraw's actions): an id, a label, key bindings and an
 * enabled-predicate over a context. One `CommandRegistry` holds every command of a screen and
 * one `dispatchKey` call routes a key press to at most one of them; two commands claiming the
 * same key are refused when the registry is built, not discovered by the user. A user keymap
 * (command id → keys) replaces a command's default keys when the registry is built, under the
 * same rule; a `locked` command (the e-stop) keeps its keys whatever the keymap says.
 */
export interface Command<C> {
  id: string;
  label: string;
  /** Bindings such as `Mod+Z`, `Shift+Delete`, `F`, `?`. `Mod` is Ctrl (⌘ on macOS). */
  keys: readonly string[];
  /** Heading in the help overlay. */
  group: string;
  enabled: (ctx: C) => boolean;
  run: (ctx: C) => void;
  /** Also fires while a text field has focus (e.g. Ctrl+Enter); plain keys never do. */
  inTextFields?: boolean;
  /** Its keys cannot be changed by a keymap (the e-stop). */
  locked?: boolean;
}

/**
 * A command of a screen whose keys name actions the screen carries out itself (`perform`): its id
 * is `<screen>.<action>`, and running it performs the action.
 */
export function actionCommand<A extends string, C extends { perform: (action: A) => void }>(screen: string, action: A, label: string, keys: string[], group: string, enabled: (ctx: C) => boolean = () => true): Command<C> {
  return { id: `${screen}.${action}`, label, keys, group, enabled, run: (ctx) => ctx.perform(action) };
}

/** A user's choice of keys, by command id; commands it does not name keep their defaults. */
export type Keymap = Readonly<Record<string, readonly string[]>>;

/** The parts of a DOM KeyboardEvent the dispatcher reads. */
export interface KeyInput {
  key: string;
  /** Physical key (`KeyZ`), used when `key` is not a Latin letter. */
  code?: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
}

// Arrows may be written as the symbols the help shows (a keymap typed in Settings).
const NAMED_KEYS: Record<string, string> = { ' ': 'Space', Esc: 'Escape', Del: 'Delete', Return: 'Enter', Plus: '+', '←': 'ArrowLeft', '→': 'ArrowRight', '↑': 'ArrowUp', '↓': 'ArrowDown' };

/**
 * Letters and named keys keep Shift (`Shift+F`); printable symbols drop it because the symbol
 * already says it (`?` is Shift+/ on one layout and something else on another).
 */
function canonicalKey(key: string): { key: string; keepsShift: boolean } {
  const named = NAMED_KEYS[key] ?? key;
  if (named.length === 1) {
    const upper = named.toUpperCase();
    const isLetter = upper !== named.toLowerCase();
    return { key: upper, keepsShift: isLetter };
  }
  return { key: named.length > 1 ? named[0].toUpperCase() + named.slice(1) : named, keepsShift: true };
}

function canonical(mods: { mod: boolean; alt: boolean; shift: boolean }, rawKey: string): string {
  const { key, keepsShift } = canonicalKey(rawKey);
  const parts: string[] = [];
  if (mods.mod) parts.push('Mod');
  if (mods.alt) parts.push('Alt');
  if (mods.shift && keepsShift) parts.push('Shift');
  parts.push(key);
  return parts.join('+');
}

/** `ctrl+shift+z` → `Mod+Shift+Z`; throws on an unknown modifier or an empty key. */
export function normalizeBinding(binding: string): string {
  const parts = splitBinding(binding);
  const rawKey = parts.pop();
  if (!rawKey) throw new Error(`Key binding "${binding}" names no key`);
  const mods = { mod: false, alt: false, shift: false };
  for (const part of parts) {
    const m = part.toLowerCase();
    if (m === 'mod' || m === 'ctrl' || m === 'cmd' || m === 'meta') mods.mod = true;
    else if (m === 'alt' || m === 'option') mods.alt = true;
    else if (m === 'shift') mods.shift = true;
    else throw new Error(`Key binding "${binding}" has an unknown modifier "${part}"`);
  }
  return canonical(mods, rawKey);
}

/** `Mod+Shift+Z` → [Mod, Shift, Z]; the key itself may be `+`. */
function splitBinding(binding: string): string[] {
  if (binding === '+') return ['+'];
  if (binding.endsWith('++')) return [...binding.slice(0, -2).split('+'), '+'];
  return binding.split('+');
}

export function bindingOfEvent(e: KeyInput): string {
  // On a non-Latin layout (Cyrillic, Greek…) letter keys still act by their physical position,
  // as in most editors: Ctrl+Я is Ctrl+Z.
  const latin = e.key.length === 1 && e.key.charCodeAt(0) > 127 && e.code && /^Key[A-Z]$/.test(e.code) ? e.code.slice(3) : e.key;
  return canonical({ mod: !!(e.ctrlKey || e.metaKey), alt: !!e.altKey, shift: !!e.shiftKey }, latin);
}

const KEY_SYMBOLS: Record<string, string> = { ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓' };

/** A binding as the help overlay and tooltips show it. */
export function formatBinding(binding: string, mac = false): string {
  return splitBinding(normalizeBinding(binding))
    .map((part) => (part === 'Mod' ? (mac ? '⌘' : 'Ctrl') : (KEY_SYMBOLS[part] ?? part)))
    .join(mac ? '' : '+');
}

export class CommandRegistry<C> {
  private readonly byId = new Map<string, Command<C>>();
  private readonly byBinding = new Map<string, Command<C>>();

  /** Refuses (throws, naming both commands) a key two commands claim, after `keymap` is applied. */
  constructor(commands: readonly Command<C>[] = [], private readonly keymap: Keymap = {}) {
    for (const command of commands) this.register(command);
  }

  /** Adds a command; refuses a duplicate id or a key another command already owns. */
  register(command: Command<C>): void {
    if (this.byId.has(command.id)) throw new Error(`Command "${command.id}" is registered twice`);
    const chosen = command.locked ? undefined : this.keymap[command.id];
    const keys = (chosen ?? command.keys).map(normalizeBinding);
    for (const binding of keys) {
      const owner = this.byBinding.get(binding);
      if (owner) throw new KeyConflictError(binding, owner, command);
    }
    const effective = chosen ? { ...command, keys } : command;
    this.byId.set(command.id, effective);
    for (const binding of keys) this.byBinding.set(binding, effective);
  }

  get(id: string): Command<C> | undefined {
    return this.byId.get(id);
  }

  /** The commands in registration order, each with the keys it answers to. */
  list(): Command<C>[] {
    return [...this.byId.values()];
  }

  commandForKey(e: KeyInput): Command<C> | undefined {
    return this.byBinding.get(bindingOfEvent(e));
  }

  /** Runs the command by id if it is enabled; returns whether it ran. */
  run(id: string, ctx: C): boolean {
    const command = this.byId.get(id);
    if (!command || !command.enabled(ctx)) return false;
    command.run(ctx);
    return true;
  }

  /**
   * The one key handler: runs the command bound to this key if it is enabled. Returns the
   * command that ran (the caller then prevents the browser default) or null.
   */
  dispatchKey(ctx: C, e: KeyInput, options: { inTextField?: boolean } = {}): Command<C> | null {
    const command = this.commandForKey(e);
    if (!command) return null;
    if (options.inTextField && !command.inTextFields) return null;
    if (!command.enabled(ctx)) return null;
    command.run(ctx);
    return command;
  }
}

/** Two commands claim one key: the message names both, for the Settings page and the console. */
export class KeyConflictError extends Error {
  constructor(readonly binding: string, readonly owner: { id: string; label: string }, readonly claimant: { id: string; label: string }) {
    super(`Ambiguous key binding ${binding}: both "${owner.id}" and "${claimant.id}" claim it`);
    this.name = 'KeyConflictError';
  }
}
