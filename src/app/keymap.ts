/**
 * The one keymap: every screen's commands, the user's choice of keys (Settings → Keyboard, kept in
 * this browser), and each screen's registry built with it. A choice that makes two commands of a
 * screen claim one key is refused when saved; a saved choice that no longer fits (a new default
 * took the key) gives way to the defaults of that screen, with the reason shown in Settings.
 */
import { CommandRegistry, KeyConflictError, normalizeBinding, type Command, type Keymap } from '../core/commands';
import { editorCommands } from '../editor/commands';
import { annotateCommands, type AnnotateContext } from './annotate/annotateCommands';
import { libraryCommands, type LibraryContext } from './library/libraryCommands';
import { liveCommands, type LiveContext } from './live/liveCommands';
import { playerCommands, type PlayerContext } from './player/playerCommands';
import { videoCommands, type VideoContext } from './video/videoCommands';
import { errorMessage } from '../core/errorMessage';

interface Contexts {
  library: LibraryContext;
  annotate: AnnotateContext;
  video: VideoContext;
  live: LiveContext;
  player: PlayerContext;
}
export type ScreenId = keyof Contexts;

export const SCREENS: { [S in ScreenId]: { label: string; commands: readonly Command<Contexts[S]>[] } } = {
  library: { label: 'Library', commands: libraryCommands },
  annotate: { label: 'Annotate', commands: [...editorCommands, ...annotateCommands] },
  video: { label: 'Video import', commands: videoCommands },
  live: { label: 'Live', commands: liveCommands },
  player: { label: 'Episode player', commands: playerCommands },
};

const STORAGE_KEY = 'path-studio.keymap';

function readStored(): Keymap {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as unknown;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
    return Object.fromEntries(Object.entries(raw).filter(([, keys]) => Array.isArray(keys) && keys.every((k) => typeof k === 'string')));
  } catch {
    return {};
  }
}

let keymap: Keymap = typeof localStorage === 'undefined' ? {} : readStored();
interface Built {
  registry: CommandRegistry<never>;
  /** Why the user's keys gave way to the defaults on this screen, or null. */
  fallback: string | null;
}
const registries = new Map<ScreenId, Built>();
const listeners = new Set<() => void>();

export function currentKeymap(): Keymap {
  return keymap;
}

/** Why `candidate` cannot be used (a conflict or a key that cannot be read, naming the screen), or null. */
export function keymapProblem(candidate: Keymap): string | null {
  for (const { label, commands } of Object.values(SCREENS)) {
    try {
      new CommandRegistry(commands as Command<unknown>[], candidate);
    } catch (e) {
      if (e instanceof KeyConflictError) {
        return `${label}: ${e.binding} would do two things — “${e.owner.label}” and “${e.claimant.label}”. Choose another key for one of them.`;
      }
      return `${label}: ${errorMessage(e)}. Write keys like Ctrl+Shift+Z, Alt+ArrowLeft, F2 or ?.`;
    }
  }
  return null;
}

/** Saves the user's keys (normalized); throws with keymapProblem's message when they do not fit. */
export function saveKeymap(candidate: Keymap): void {
  const problem = keymapProblem(candidate);
  if (problem) throw new Error(problem);
  keymap = Object.fromEntries(Object.entries(candidate).map(([id, keys]) => [id, keys.map(normalizeBinding)]));
  localStorage.setItem(STORAGE_KEY, JSON.stringify(keymap));
  registries.clear();
  for (const l of listeners) l();
}

export function resetKeymap(): void {
  keymap = {};
  localStorage.removeItem(STORAGE_KEY);
  registries.clear();
  for (const l of listeners) l();
}

export function subscribeKeymap(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Why the saved keymap does not apply to `screen` (it runs on the defaults), or null. */
export function keymapFallback(screen: ScreenId): string | null {
  return built(screen).fallback;
}

/** The screen's registry with the user's keys (built once per keymap). */
export function screenRegistry<S extends ScreenId>(screen: S): CommandRegistry<Contexts[S]> {
  return built(screen).registry as unknown as CommandRegistry<Contexts[S]>;
}

function built(screen: ScreenId): Built {
  let entry = registries.get(screen);
  if (!entry) {
    const commands = SCREENS[screen].commands as readonly Command<never>[];
    try {
      entry = { registry: new CommandRegistry(commands, keymap), fallback: null };
    } catch (e) {
      // The defaults themselves are checked by the unit tests; the saved choice gives way.
      entry = { registry: new CommandRegistry(commands), fallback: errorMessage(e) };
    }
    registries.set(screen, entry);
  }
  return entry;
}
