/** The editor's keyboard shortcuts: one table drives the key handler and the help shown in the UI. */
export type VideoCommand =
  | 'playPause' | 'prevFrame' | 'nextFrame' | 'back10' | 'forward10' | 'nextKeyframe' | 'prevKeyframe'
  | 'gripperClose' | 'gripperOpen' | 'newSegment' | 'segmentStart' | 'segmentEnd' | 'track';

export interface Shortcut {
  command: VideoCommand;
  keys: string;
  label: string;
  matches: (e: KeyboardEvent) => boolean;
}

const plain = (e: KeyboardEvent) => !e.altKey && !e.ctrlKey && !e.metaKey;

export const VIDEO_SHORTCUTS: Shortcut[] = [
  { command: 'playPause', keys: 'Space', label: 'Play / pause', matches: (e) => e.code === 'Space' && plain(e) },
  { command: 'prevFrame', keys: 'Alt+←', label: 'Previous frame', matches: (e) => e.key === 'ArrowLeft' && e.altKey && !e.shiftKey },
  { command: 'nextFrame', keys: 'Alt+→', label: 'Next frame', matches: (e) => e.key === 'ArrowRight' && e.altKey && !e.shiftKey },
  { command: 'back10', keys: 'Shift+Alt+←', label: '10 frames back', matches: (e) => e.key === 'ArrowLeft' && e.altKey && e.shiftKey },
  { command: 'forward10', keys: 'Shift+Alt+→', label: '10 frames forward', matches: (e) => e.key === 'ArrowRight' && e.altKey && e.shiftKey },
  { command: 'nextKeyframe', keys: 'R', label: 'Next keyframe', matches: (e) => e.key.toLowerCase() === 'r' && plain(e) },
  { command: 'prevKeyframe', keys: 'E', label: 'Previous keyframe', matches: (e) => e.key.toLowerCase() === 'e' && plain(e) },
  { command: 'gripperClose', keys: 'C', label: 'Gripper closes here', matches: (e) => e.key.toLowerCase() === 'c' && plain(e) },
  { command: 'gripperOpen', keys: 'O', label: 'Gripper opens here', matches: (e) => e.key.toLowerCase() === 'o' && plain(e) },
  { command: 'newSegment', keys: 'N', label: 'New segment from here', matches: (e) => e.key.toLowerCase() === 'n' && plain(e) },
  { command: 'segmentStart', keys: '[', label: 'Segment starts here', matches: (e) => e.key === '[' && plain(e) },
  { command: 'segmentEnd', keys: ']', label: 'Segment ends here', matches: (e) => e.key === ']' && plain(e) },
  { command: 'track', keys: 'T', label: 'Track the segment again', matches: (e) => e.key.toLowerCase() === 't' && plain(e) },
];

export function commandFor(e: KeyboardEvent): VideoCommand | undefined {
  return VIDEO_SHORTCUTS.find((s) => s.matches(e))?.command;
}
