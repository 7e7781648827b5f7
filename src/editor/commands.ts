import type { Editor } from './editor';

/**
 * Commands as declarative objects (Excalidraw's actions): an id, a label, key bindings and an
 * enabled-predicate over a context. One `CommandRegistry` holds every command of a screen and
 * one `dispatchKey` call routes a key press to at most one of them; two commands claiming the
 * same key are refused when the registry is built, not discovered by the user.
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
}

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

const NAMED_KEYS: Record<string, string> = { ' ': 'Space', Esc: 'Escape', Del: 'Delete', Return: 'Enter', Plus: '+' };

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

  constructor(commands: readonly Command<C>[] = []) {
    for (const command of commands) this.register(command);
  }

  /** Adds a command; refuses a duplicate id or a key another command already owns. */
  register(command: Command<C>): void {
    if (this.byId.has(command.id)) throw new Error(`Command "${command.id}" is registered twice`);
    const bindings = command.keys.map(normalizeBinding);
    for (const binding of bindings) {
      const owner = this.byBinding.get(binding);
      if (owner) throw new Error(`Ambiguous key binding ${binding}: both "${owner.id}" and "${command.id}" claim it`);
    }
    this.byId.set(command.id, command);
    for (const binding of bindings) this.byBinding.set(binding, command);
  }

  get(id: string): Command<C> | undefined {
    return this.byId.get(id);
  }

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

/** Commands that need only the editor; screens add their own (next sample, mark done…). */
export interface EditorCommandContext {
  editor: Editor;
}

const hasSelection = ({ editor }: EditorCommandContext) => editor.selection !== null;
const idle = ({ editor }: EditorCommandContext) => !editor.gestureActive;

const NUDGES: [string, string, number, number][] = [
  ['Left', 'ArrowLeft', -1, 0],
  ['Right', 'ArrowRight', 1, 0],
  ['Up', 'ArrowUp', 0, -1],
  ['Down', 'ArrowDown', 0, 1],
];

export const editorCommands: Command<EditorCommandContext>[] = [
  { id: 'editor.undo', label: 'Undo', keys: ['Mod+Z'], group: 'Edit', enabled: ({ editor }) => editor.history.canUndo || editor.gestureActive, run: ({ editor }) => editor.undo() },
  { id: 'editor.redo', label: 'Redo', keys: ['Mod+Shift+Z', 'Mod+Y'], group: 'Edit', enabled: ({ editor }) => editor.history.canRedo, run: ({ editor }) => editor.redo() },
  {
    id: 'editor.cancel',
    label: 'Cancel gesture / deselect',
    keys: ['Escape'],
    group: 'Edit',
    enabled: ({ editor }) => editor.gestureActive || editor.selection !== null,
    run: ({ editor }) => {
      if (!editor.cancelGesture()) editor.select(null);
    },
  },
  { id: 'editor.deletePoint', label: 'Delete selected point', keys: ['Delete', 'Backspace'], group: 'Path', enabled: (c) => hasSelection(c) && idle(c), run: ({ editor }) => editor.removeSelected() },
  { id: 'editor.clearPath', label: 'Clear the whole path', keys: ['Shift+Delete'], group: 'Path', enabled: ({ editor }) => editor.path.points.length > 0 && !editor.gestureActive, run: ({ editor }) => editor.clearPath() },
  { id: 'editor.toggleGripper', label: 'Gripper close/open at selected point', keys: ['G'], group: 'Path', enabled: (c) => hasSelection(c) && idle(c), run: ({ editor }) => editor.toggleGripperAtSelection() },
  { id: 'editor.nextPoint', label: 'Select next point', keys: [']'], group: 'Path', enabled: ({ editor }) => editor.path.points.length > 0, run: ({ editor }) => editor.selectNext(1) },
  { id: 'editor.previousPoint', label: 'Select previous point', keys: ['['], group: 'Path', enabled: ({ editor }) => editor.path.points.length > 0, run: ({ editor }) => editor.selectNext(-1) },
  ...NUDGES.flatMap(([name, key, dx, dy]): Command<EditorCommandContext>[] => [
    { id: `editor.nudge${name}`, label: `Move point ${name.toLowerCase()} 1 px`, keys: [key], group: 'Path', enabled: (c) => hasSelection(c) && idle(c), run: ({ editor }) => editor.nudgeSelected(dx, dy) },
    { id: `editor.nudge${name}Far`, label: `Move point ${name.toLowerCase()} 10 px`, keys: [`Shift+${key}`], group: 'Path', enabled: (c) => hasSelection(c) && idle(c), run: ({ editor }) => editor.nudgeSelected(10 * dx, 10 * dy) },
  ]),
  { id: 'editor.toggleOverlay', label: 'HAMSTER overlay preview on/off', keys: ['O'], group: 'View', enabled: () => true, run: ({ editor }) => editor.toggleOverlay() },
  { id: 'editor.toggleSnapping', label: 'Snap to 0.01 grid on/off', keys: ['S'], group: 'Path', enabled: () => true, run: ({ editor }) => editor.toggleSnapping() },
  { id: 'editor.zoomIn', label: 'Zoom in', keys: ['+', '='], group: 'View', enabled: () => true, run: ({ editor }) => editor.zoomIn() },
  { id: 'editor.zoomOut', label: 'Zoom out', keys: ['-'], group: 'View', enabled: () => true, run: ({ editor }) => editor.zoomOut() },
  { id: 'editor.fit', label: 'Fit image', keys: ['0'], group: 'View', enabled: () => true, run: ({ editor }) => editor.fit() },
  { id: 'editor.actualSize', label: 'Actual size (1:1)', keys: ['1'], group: 'View', enabled: () => true, run: ({ editor }) => editor.actualSize() },
];
