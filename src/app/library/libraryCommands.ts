import type { Command } from '../../core/commands';

/** What the dataset page's keys reach. */
export interface LibraryContext {
  selected: number;
  selectAll: () => void;
  clearSelection: () => void;
  deleteSelected: () => void;
  canUndo: boolean;
  undo: () => void;
}

/** The dataset page's commands, in the one keymap (app/keymap.ts). */
export const libraryCommands: Command<LibraryContext>[] = [
  { id: 'library.selectAll', label: 'Select every sample shown', keys: ['Mod+A'], group: 'Selection', enabled: () => true, run: (c) => c.selectAll() },
  { id: 'library.clearSelection', label: 'Clear the selection', keys: ['Escape'], group: 'Selection', enabled: (c) => c.selected > 0, run: (c) => c.clearSelection() },
  { id: 'library.delete', label: 'Delete the selected samples (undo from the message)', keys: ['Delete'], group: 'Selection', enabled: (c) => c.selected > 0, run: (c) => c.deleteSelected() },
  { id: 'library.undo', label: 'Undo the last delete, move or status change (while the dataset is open)', keys: ['Mod+Z'], group: 'Selection', enabled: (c) => c.canUndo, run: (c) => c.undo() },
];
