/**
 * The scrubber: a slider over every frame, marks under it for the steps an operator took over,
 * and a line with the frame and time shown and how the episode ended.
 */
import type { PlayerEpisode } from '../../app/player/playerEpisode';

const percent = (frame: number, length: number) => `${(length > 1 ? frame / (length - 1) : 0) * 100}%`;

function outcomeText(outcome: NonNullable<PlayerEpisode['outcome']>): string {
  const verdict = outcome.success === true ? '✓ success' : outcome.success === false ? '✗ failure' : '? outcome unknown';
  return outcome.detail ? `${verdict} (${outcome.detail})` : verdict;
}

export function Timeline({ episode, frame, time, onSeek }: { episode: PlayerEpisode; frame: number; time: number; onSeek: (frame: number) => void }) {
  const { length, interventions, outcome } = episode;
  return (
    <div className="player-timeline">
      <input
        type="range"
        min={0}
        max={length - 1}
        step={1}
        value={frame}
        aria-label="Frame"
        aria-valuetext={`Frame ${frame} of ${length - 1}, ${time.toFixed(2)} s`}
        onChange={(e) => onSeek(Number(e.target.value))}
        data-testid="player-scrubber"
      />
      <div className="player-marks" aria-hidden={!interventions.length}>
        {interventions.map((s) => (
          <span
            key={s.start}
            className="player-mark-intervention"
            style={{ left: percent(s.start, length), width: `calc(${percent(s.end - 1, length)} - ${percent(s.start, length)} + 3px)` }}
            title={`Operator in control: frames ${s.start}–${s.end - 1}`}
            data-testid="intervention-mark"
          />
        ))}
      </div>
      <div className="player-readout">
        <span data-testid="player-frame">Frame {frame} / {length - 1}</span>
        <span data-testid="player-time">{time.toFixed(2)} s</span>
        {outcome && (
          <span className={`player-mark-outcome outcome-${outcome.success ?? 'unknown'}`} title="How the episode ended" data-testid="outcome-mark">
            {outcomeText(outcome)}
          </span>
        )}
      </div>
    </div>
  );
}
