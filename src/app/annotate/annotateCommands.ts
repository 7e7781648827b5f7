import type { Command } from '../../core/commands';
import type { EditorCommandContext } from '../../editor/commands';
import type { AnnotateSession, SessionState } from './session';

/** What the Annotate screen's commands can reach besides the editor. */
export interface AnnotateContext extends EditorCommandContext {
  session: AnnotateSession;
  state: SessionState;
  ui: {
    /** Opens a sample (and updates the address). */
    go: (sampleId: string) => void;
    toggleHelp: () => void;
    focusInstruction: () => void;
    focusText: () => void;
    /** Takes the keyboard out of a text field (the next keys are commands again). */
    leaveTextField: () => void;
    startReject: () => void;
    toggleReviewMode: () => void;
    newPath: () => void;
    copyPreviousPath: () => void;
    suggestPath: () => void;
    plannerAvailable: boolean;
  };
}

const hasSample = ({ state }: AnnotateContext) => state.sample !== null;
/** A verdict goes to submitted work: done (waiting for review) or reviewed (the verdict changed); never a draft, nor a rejection the annotator has not fixed. */
const reviewing = (c: AnnotateContext) => hasSample(c) && c.state.mode === 'review' && (c.state.sample!.status === 'done' || c.state.sample!.status === 'reviewed');

/** After a verdict or "done", move on to the next piece of work (stay if there is none). */
const advance = (c: AnnotateContext) => {
  const next = c.session.nextUnfinishedId();
  if (next) c.ui.go(next);
};

export const annotateCommands: Command<AnnotateContext>[] = [
  { id: 'sample.next', label: 'Next sample', keys: ['F'], group: 'Queue', enabled: (c) => c.session.neighbourId(1) !== null, run: (c) => c.ui.go(c.session.neighbourId(1)!) },
  { id: 'sample.previous', label: 'Previous sample', keys: ['D'], group: 'Queue', enabled: (c) => c.session.neighbourId(-1) !== null, run: (c) => c.ui.go(c.session.neighbourId(-1)!) },
  { id: 'sample.nextUnfinished', label: 'Next unfinished sample', keys: ['Shift+F'], group: 'Queue', enabled: (c) => c.session.nextUnfinishedId() !== null, run: (c) => c.ui.go(c.session.nextUnfinishedId()!) },
  {
    id: 'sample.markDone',
    label: 'Mark done and go to the next unfinished',
    keys: ['Mod+Enter'],
    group: 'Queue',
    inTextFields: true,
    enabled: hasSample,
    run: (c) => {
      c.session.setStatus('done');
      // Pressed in the instruction field, the focus would stay in the same field, now holding the
      // next sample's instruction, and the next keys would be typed into it and saved.
      c.ui.leaveTextField();
      advance(c);
    },
  },
  { id: 'sample.markDraft', label: 'Back to draft', keys: ['Mod+Shift+Enter'], group: 'Queue', inTextFields: true, enabled: (c) => hasSample(c) && c.state.sample!.status !== 'draft', run: (c) => c.session.setStatus('draft') },
  { id: 'sample.newPath', label: 'New instruction and path on this image', keys: ['N'], group: 'Sample', enabled: hasSample, run: (c) => c.ui.newPath() },
  { id: 'sample.copyPrevious', label: 'Copy the path of the previous sample', keys: ['C'], group: 'Sample', enabled: (c) => hasSample(c) && c.session.neighbourId(-1) !== null && !c.editor.gestureActive, run: (c) => c.ui.copyPreviousPath() },
  { id: 'sample.suggest', label: 'Suggest a path with the active planner', keys: ['Shift+S'], group: 'Sample', enabled: (c) => hasSample(c) && c.ui.plannerAvailable, run: (c) => c.ui.suggestPath() },
  { id: 'sample.focusInstruction', label: 'Edit the instruction', keys: ['I'], group: 'Sample', enabled: hasSample, run: (c) => c.ui.focusInstruction() },
  { id: 'sample.focusText', label: 'Edit the HAMSTER text', keys: ['T'], group: 'Sample', enabled: hasSample, run: (c) => c.ui.focusText() },
  { id: 'review.toggleMode', label: 'Review mode on/off', keys: ['R'], group: 'Review', enabled: () => true, run: (c) => c.ui.toggleReviewMode() },
  {
    id: 'review.approve',
    label: 'Approve and go to the next to review',
    keys: ['A'],
    group: 'Review',
    enabled: reviewing,
    run: (c) => {
      c.session.approve();
      advance(c);
    },
  },
  { id: 'review.reject', label: 'Reject with a comment', keys: ['X'], group: 'Review', enabled: reviewing, run: (c) => c.ui.startReject() },
  { id: 'ui.help', label: 'Keyboard shortcuts', keys: ['F1', '?'], group: 'Help', enabled: () => true, run: (c) => c.ui.toggleHelp() },
];

export { advance as advanceToNextUnfinished };
