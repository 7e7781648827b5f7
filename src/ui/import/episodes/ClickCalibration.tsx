/**
 * Calibration by clicks (docs/CAMERAS.md): the user clicks the gripper in ≥ 6 frames; Hartley-normalised
 * DLT estimates P; RMS and leave-one-out errors are shown, with a warning above 3 px, and the
 * projected track is drawn over the video so the fit can be judged by eye.
 */
import { DLT_MIN_POINTS, DLT_WARN_PX, type DltResult } from '../../../core/camera/dlt';
import type { CalibrationClick } from '../../../app/episodes/episodeWorkspace';

export function ClickCalibration({ clicks, result, onRemove, onClear, onSave, saving }: {
  clicks: CalibrationClick[];
  result: DltResult | null;
  onRemove: (i: number) => void;
  onClear: () => void;
  onSave: () => void;
  saving: boolean;
}) {
  return (
    <div className="ep-clicks" data-testid="click-calibration">
      <p className="muted">
        Scrub to a frame and click the gripper's centre in the image; repeat in at least {DLT_MIN_POINTS} frames where the
        end effector is at different heights and depths (7 or more also give a leave-one-out error).
      </p>
      <ol className="ep-click-list">
        {clicks.map((c, i) => (
          <li key={i}>
            ep {c.episode} frame {c.frame}: ({c.u.toFixed(1)}, {c.v.toFixed(1)}) px
            {result?.ok && <span className="muted"> · {result.perPointPx[i].toFixed(2)} px</span>}
            <button className="btn-icon" aria-label={`Remove click ${i + 1}`} onClick={() => onRemove(i)}>×</button>
          </li>
        ))}
      </ol>
      {result && !result.ok && <p className="muted" role="status">{result.error}</p>}
      {result?.ok && (
        <p role="status" data-testid="dlt-errors" className={result.rmsPx > DLT_WARN_PX || (result.leaveOneOutPx ?? 0) > DLT_WARN_PX ? 'ep-warn' : ''}>
          Reprojection RMS <b data-testid="dlt-rms">{result.rmsPx.toFixed(2)}</b> px
          {result.leaveOneOutPx !== null ? <> · leave-one-out <b data-testid="dlt-loo">{result.leaveOneOutPx.toFixed(2)}</b> px</> : ' · leave-one-out needs 7 clicks'}
          {(result.rmsPx > DLT_WARN_PX || (result.leaveOneOutPx ?? 0) > DLT_WARN_PX) && ` — above ${DLT_WARN_PX} px: check the clicks (or the end-effector point) before using it.`}
        </p>
      )}
      <div className="toolbar">
        <button className="btn btn-small" disabled={!result?.ok || saving} onClick={onSave}>Save calibration</button>
        <button className="btn btn-small" disabled={!clicks.length} onClick={onClear}>Clear clicks</button>
      </div>
    </div>
  );
}
