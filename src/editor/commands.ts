import type { Command } from '../core/commands';
import type { Editor } from './editor';

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
