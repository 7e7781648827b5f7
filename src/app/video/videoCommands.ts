import { actionCommand, type Command } from '../../core/commands';

/** What a key does in the video import editor; the editor carries each out on its own state. */
export type VideoAction =
  | 'playPause' | 'prevFrame' | 'nextFrame' | 'back10' | 'forward10' | 'nextKeyframe' | 'prevKeyframe'
  | 'gripperClose' | 'gripperOpen' | 'newSegment' | 'segmentStart' | 'segmentEnd' | 'track' | 'help';

export interface VideoContext {
  perform: (action: VideoAction) => void;
}

const command = (id: VideoAction, label: string, keys: string[], group: string): Command<VideoContext> =>
  actionCommand('video', id, label, keys, group);

/** The video import editor's commands, in the one keymap (app/keymap.ts). */
export const videoCommands: Command<VideoContext>[] = [
  command('playPause', 'Play / pause', ['Space'], 'Playback'),
  command('prevFrame', 'Previous frame', ['Alt+ArrowLeft'], 'Playback'),
  command('nextFrame', 'Next frame', ['Alt+ArrowRight'], 'Playback'),
  command('back10', '10 frames back', ['Alt+Shift+ArrowLeft'], 'Playback'),
  command('forward10', '10 frames forward', ['Alt+Shift+ArrowRight'], 'Playback'),
  command('nextKeyframe', 'Next keyframe', ['R'], 'Track'),
  command('prevKeyframe', 'Previous keyframe', ['E'], 'Track'),
  command('track', 'Track the segment again', ['T'], 'Track'),
  command('gripperClose', 'Gripper closes here', ['C'], 'Gripper'),
  command('gripperOpen', 'Gripper opens here', ['O'], 'Gripper'),
  command('newSegment', 'New segment from here', ['N'], 'Segments'),
  command('segmentStart', 'Segment starts here', ['['], 'Segments'),
  command('segmentEnd', 'Segment ends here', [']'], 'Segments'),
  command('help', 'Keyboard shortcuts', ['F1', '?'], 'Help'),
];
