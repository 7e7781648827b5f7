/** Editing the episode's segment cuts: cut here, remove the nearest cut, apply (undoable), reset, and why a cut was refused. */
import type { MouseEvent } from 'react';
import type { CommandRegistry } from '../../core/commands';
import type { CutsState } from '../../app/player/playerController';
import type { PlayerAction, PlayerContext } from '../../app/player/playerCommands';
import { segmentsOf } from '../../app/player/segmentCuts';
import { titleWithKeys } from '../common/KeymapOverlay';

interface Props {
  cutting: CutsState;
  registry: CommandRegistry<PlayerContext>;
  perform: (action: PlayerAction) => void;
  onApply: () => void;
  onReset: () => void;
  onUndo: () => void;
}

/** Keeping the focus off the buttons leaves Space and the arrows to the player. */
const keepFocus = (e: MouseEvent) => e.preventDefault();

export function SegmentCuts({ cutting, registry, perform, onApply, onReset, onUndo }: Props) {
  const { plan, changed, applying, note, canUndo } = cutting;
  const count = segmentsOf(plan).length;
  return (
    <div className="player-cuts" data-testid="player-cuts">
      <span className="muted" data-testid="player-cuts-summary">
        {count} segment{count === 1 ? '' : 's'}{changed ? ' (cuts not applied yet)' : ''}
      </span>
      <button className="btn btn-small" disabled={applying} title={titleWithKeys(registry, 'player.addCut')} onMouseDown={keepFocus} onClick={() => perform('addCut')}>Cut here</button>
      <button className="btn btn-small" disabled={applying || !plan.cuts.length} title={titleWithKeys(registry, 'player.removeCut')} onMouseDown={keepFocus} onClick={() => perform('removeCut')}>Remove nearest cut</button>
      <button className="btn btn-small" disabled={applying || !changed} onMouseDown={keepFocus} onClick={onReset}>Reset cuts</button>
      <button
        className="btn btn-small btn-primary"
        disabled={applying || !changed}
        title="Replace the drafts whose segments changed with one new draft per new segment (done and reviewed samples stay)"
        onMouseDown={keepFocus}
        onClick={onApply}
        data-testid="apply-cuts"
      >
        {applying ? 'Applying…' : 'Apply cuts'}
      </button>
      {canUndo && !changed && <button className="btn btn-small" disabled={applying} onMouseDown={keepFocus} onClick={onUndo} data-testid="undo-cuts">Undo re-cut</button>}
      {note && <p className="field-error player-cuts-note" role="status" data-testid="player-cuts-note">{note}</p>}
    </div>
  );
}
