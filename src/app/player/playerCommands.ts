import { actionCommand, type Command } from '../../core/commands';

/** What a key does in the episode player; the player carries each out on its controller. */
export type PlayerAction = 'playPause' | 'prevFrame' | 'nextFrame' | 'back10' | 'forward10' | 'toStart' | 'toEnd' | 'makeSample' | 'addCut' | 'removeCut' | 'help';

export interface PlayerContext {
  perform: (action: PlayerAction) => void;
  /** Whether a sample can be made at the frame shown (a frame without an image of its own cannot). */
  canMakeSample: () => boolean;
  /** Whether the segment cuts can be edited now (the samples are read and no Apply is running). */
  canEditCuts: () => boolean;
}

const command = (id: PlayerAction, label: string, keys: string[], group: string, enabled?: (c: PlayerContext) => boolean): Command<PlayerContext> =>
  actionCommand('player', id, label, keys, group, enabled);

/** The episode player's commands, in the one keymap (app/keymap.ts). */
export const playerCommands: Command<PlayerContext>[] = [
  command('playPause', 'Play / pause', ['Space'], 'Playback'),
  command('prevFrame', 'Previous frame', ['ArrowLeft'], 'Playback'),
  command('nextFrame', 'Next frame', ['ArrowRight'], 'Playback'),
  command('back10', '10 frames back', ['Shift+ArrowLeft'], 'Playback'),
  command('forward10', '10 frames forward', ['Shift+ArrowRight'], 'Playback'),
  command('toStart', 'First frame', ['Home'], 'Playback'),
  command('toEnd', 'Last frame', ['End'], 'Playback'),
  command('makeSample', 'Make a sample at this frame', ['M'], 'Curate', (c) => c.canMakeSample()),
  command('addCut', 'Cut the episode at this frame', ['C'], 'Segments', (c) => c.canEditCuts()),
  command('removeCut', 'Remove the cut nearest this frame', ['Shift+C'], 'Segments', (c) => c.canEditCuts()),
  command('help', 'Keyboard shortcuts', ['F1', '?'], 'Help'),
];
