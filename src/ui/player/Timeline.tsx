/**
 * The scrubber: a slider over every frame, the segments (as cut now, edited cuts included; a done
 * or reviewed sample's range shaded as fixed), marks for the steps an operator took over, and a
 * line with the frame and time shown and how the episode ended.
 */
import type { CutsState } from '../../app/player/playerController';
import type { PlayerEpisode } from '../../app/player/playerEpisode';
import { segmentsOf } from '../../app/player/segmentCuts';

const percent = (frame: number, length: number) => `${(length > 1 ? frame / (length - 1) : 0) * 100}%`;

function outcomeText(outcome: NonNullable<PlayerEpisode['outcome']>): string {
  const verdict = outcome.success === true ? '✓ success' : outcome.success === false ? '✗ failure' : '? outcome unknown';
  return outcome.detail ? `${verdict} (${outcome.detail})` : verdict;
}

function Segments({ cutting, length }: { cutting: CutsState; length: number }) {
  const { plan, applied } = cutting;
  return (
    <div className="player-segments" data-testid="player-segments">
      {segmentsOf(plan).map((s) => {
        const locked = plan.locked.some((r) => r.start <= s.start && s.end <= r.end);
        return (
          <span
            key={s.start}
            className={`player-segment${locked ? ' locked' : ''}`}
            style={{ left: percent(s.start, length), width: `calc(${percent(s.end, length)} - ${percent(s.start, length)})` }}
            title={`Segment: frames ${s.start}–${s.end}${locked ? ' (a done or reviewed sample: fixed)' : ''}`}
            data-testid="player-segment"
            data-start={s.start}
            data-end={s.end}
          />
        );
      })}
      {plan.cuts.map((c) => (
        <span key={c} className={`player-cut${applied.includes(c) ? '' : ' pending'}`} style={{ left: percent(c, length) }} title={`Cut at frame ${c}${applied.includes(c) ? '' : ' (not applied yet)'}`} data-testid="player-cut" data-frame={c} />
      ))}
    </div>
  );
}

export function Timeline({ episode, frame, time, cutting, onSeek }: { episode: PlayerEpisode; frame: number; time: number; cutting: CutsState | null; onSeek: (frame: number) => void }) {
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
      {cutting && <Segments cutting={cutting} length={length} />}
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
