/** Transport buttons, playback speed and "Make sample here", each titled with its keys from the keymap. */
import type { CommandRegistry } from '../../core/commands';
import { PLAYBACK_SPEEDS, type PlayerSnapshot } from '../../app/player/playerController';
import type { PlayerAction, PlayerContext } from '../../app/player/playerCommands';
import { titleWithKeys } from '../common/KeymapOverlay';

interface Props {
  snapshot: PlayerSnapshot;
  registry: CommandRegistry<PlayerContext>;
  perform: (action: PlayerAction) => void;
  onSpeed: (speed: number) => void;
}

export function PlaybackControls({ snapshot, registry, perform, onSpeed }: Props) {
  const button = (action: PlayerAction, text: string) => (
    // Keeping the focus off the buttons leaves Space and the arrows to the player.
    <button className="btn btn-small" title={titleWithKeys(registry, `player.${action}`)} aria-label={registry.get(`player.${action}`)?.label} onMouseDown={(e) => e.preventDefault()} onClick={() => perform(action)}>
      {text}
    </button>
  );
  return (
    <div className="player-controls">
      {button('toStart', '|◀')}
      {button('back10', '−10')}
      {button('prevFrame', '−1')}
      {button('playPause', snapshot.playing ? '❚❚' : '▶')}
      {button('nextFrame', '+1')}
      {button('forward10', '+10')}
      {button('toEnd', '▶|')}
      <label className="player-speed">
        Speed{' '}
        {/* Blurred once chosen: a focused select would keep Space and the arrows from the player. */}
        <select value={snapshot.speed} onChange={(e) => { onSpeed(Number(e.target.value)); e.target.blur(); }} aria-label="Playback speed">
          {PLAYBACK_SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
        </select>
      </label>
      <span className="spacer" />
      <button
        className="btn btn-primary"
        disabled={!!snapshot.sampleBlocked}
        title={snapshot.sampleBlocked ?? titleWithKeys(registry, 'player.makeSample')}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => perform('makeSample')}
        data-testid="make-sample"
      >
        {snapshot.making ? 'Making the sample…' : 'Make sample here'}
      </button>
    </div>
  );
}
