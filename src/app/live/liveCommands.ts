import type { Command } from '../../core/commands';
import type { LiveSession } from '../../robot/liveSession';
import { GRIPPER_KEY, TELEOP_KEYS } from '../../robot/teleop';

export interface LiveContext {
  session: LiveSession;
  toggleHelp: () => void;
}

/** Held teleop keys go by physical position (KeyboardEvent.code), so W A S D work on any layout. */
const keyLetter = (code: string) => code.replace(/^Key/, '');
const TELEOP_LETTERS = [...Object.keys(TELEOP_KEYS), GRIPPER_KEY].map(keyLetter);

/** The teleop keys as the operator reads them: "W forward · S back · … · G gripper". */
export const teleopKeyLegend = (): string =>
  [...Object.entries(TELEOP_KEYS).map(([code, k]) => `${keyLetter(code)} ${k.label}`), `${keyLetter(GRIPPER_KEY)} gripper`].join(' · ');

/**
 * The Live console's commands, in the one keymap (app/keymap.ts). The e-stop comes first and is
 * locked: no keymap moves it, and no other command can take its keys. Teleop's held keys are
 * listed (and reserved) here but driven by the teleop controller, which reads key-down and key-up
 * by physical key.
 */
export const liveCommands: Command<LiveContext>[] = [
  {
    id: 'live.estop', label: 'Emergency stop', keys: ['Escape'], group: 'Safety', locked: true, inTextFields: true,
    enabled: () => true, run: ({ session }) => session.stop('estop', 'Esc pressed'),
  },
  {
    id: 'live.estopSpace', label: 'Emergency stop (outside text fields)', keys: ['Space'], group: 'Safety', locked: true,
    enabled: () => true, run: ({ session }) => session.stop('estop', 'Space pressed'),
  },
  {
    id: 'live.takeOver', label: 'Take over from the model / hand back', keys: ['T'], group: 'Run',
    enabled: ({ session }) => session.loop.mode === 'model', run: ({ session }) => session.setIntervention(!session.loop.intervening),
  },
  {
    id: 'live.teleop', label: 'Teleop (hold): W/S forward/back, A/D left/right, R/F up/down, Q/E yaw, G gripper; Shift slow',
    keys: TELEOP_LETTERS, group: 'Teleop', locked: true,
    // Never dispatched: the teleop controller reads these keys while held.
    enabled: () => false, run: () => undefined,
  },
  { id: 'live.help', label: 'Keyboard shortcuts', keys: ['F1', '?'], group: 'Help', enabled: () => true, run: (c) => c.toggleHelp() },
];
