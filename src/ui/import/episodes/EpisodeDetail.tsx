/**
 * One episode in the browser: the frame at the scrubber with the projected end-effector track,
 * states/actions plotted under it, gripper events and the segments that will become samples.
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { EpisodeWorkspaceController } from '../../../app/episodes/episodeWorkspace';
import type { FrameReader } from '../../../importers/episodes/source';
import { FrameView } from './FrameView';
import { LineChart } from './LineChart';
import { errorMessage } from '../../../core/errorMessage';

export function EpisodeDetail({ workspace }: { workspace: EpisodeWorkspaceController }) {
  const { source } = workspace;
  const { camera, clicks, calibrationMode, ee: eeSource, projection, cuts: allCuts } = useSyncExternalStore(workspace.subscribe, workspace.getSnapshot);
  const { episode, table, error, eePositions: ee, analysis } = useSyncExternalStore(workspace.preview.subscribe, workspace.preview.getSnapshot);
  const cuts = allCuts[episode];
  const clicking = calibrationMode === 'clicks';
  const [reader, setReader] = useState<FrameReader | null>(null);
  const [frameError, setFrameError] = useState<string | null>(null);
  const [cursor, setCursor] = useState(0);
  const [bitmap, setBitmap] = useState<ImageBitmap | null>(null);
  const cam = source.cameras.find((c) => c.key === camera);

  useEffect(() => { setCursor(0); }, [episode]);

  useEffect(() => {
    let live = true;
    setReader(null); setFrameError(null);
    source.frameReader(episode, camera).then((r) => live && setReader(r), (e) => live && setFrameError(errorMessage(e)));
    return () => { live = false; };
  }, [source, episode, camera]);

  useEffect(() => {
    if (!reader) { setBitmap(null); return; }
    let live = true;
    // Latest request wins while scrubbing.
    reader.frame(cursor).then((b) => {
      if (live) setBitmap((old) => { old?.close(); return b; });
      else b.close();
    }, (e) => live && setFrameError(errorMessage(e)));
    return () => { live = false; };
  }, [reader, cursor]);

  const n = table?.states.length ?? 0;
  const stateSeries = useMemo(() => (table ? source.stateNames.map((name, i) => ({ name, values: table.states.map((s) => s[i]) })) : []), [table, source.stateNames]);
  const actionSeries = useMemo(() => (table ? source.actionNames.map((name, i) => ({ name, values: table.actions.map((a) => a[i]) })) : []), [table, source.actionNames]);
  const a = analysis?.ok ? analysis.value : null;
  const overlay = useMemo(() => ({
    track: a ? a.track.normalized : null,
    closed: a ? a.states.map((s) => s === 'closed') : undefined,
    cursor,
    clicks: clicks.filter((c) => c.episode === episode).map((c) => ({ u: c.u, v: c.v, frame: c.frame })),
  }), [a, cursor, clicks, episode]);
  const marks = useMemo(() => (a ? a.segments.slice(1).map((s) => s.start) : []), [a]);

  if (error) return <div className="import-report" role="alert">{error}</div>;
  if (!table) return <p className="muted" aria-busy="true">Loading episode {episode}…</p>;
  const px = a?.track.pixels[cursor];
  const hasFrames = !!cam && !(cam.episodesWithoutFrames ?? (cam.missingFiles.length ? [episode] : [])).includes(episode);

  return (
    <div className="ep-detail" data-testid="episode-detail">
      <div className="ep-frame-col">
        {cam && hasFrames && !frameError ? (
          <FrameView
            bitmap={bitmap}
            width={cam.width}
            height={cam.height}
            overlay={overlay}
            label={`Frame ${cursor} of episode ${episode}`}
            onClickPixel={clicking && ee ? (u, v) => workspace.addClick(cursor, u, v) : undefined}
          />
        ) : (
          <div className="ep-noframe" role="status">{frameError ?? (cam ? `No frames from ${cam.key} for episode ${episode}: its video file is not in this folder.` : 'No camera.')}</div>
        )}
        <div className="toolbar ep-scrub">
          <button className="btn btn-small" aria-label="Previous frame" onClick={() => setCursor((c) => Math.max(0, c - 1))}>◀</button>
          <input type="range" min={0} max={Math.max(0, n - 1)} value={cursor} aria-label="Frame" onChange={(e) => setCursor(Number(e.target.value))} />
          <button className="btn btn-small" aria-label="Next frame" onClick={() => setCursor((c) => Math.min(n - 1, c + 1))}>▶</button>
          <span className="muted" data-testid="frame-readout">frame {cursor} / {n - 1}{px ? ` · ee at (${px.u.toFixed(1)}, ${px.v.toFixed(1)}) px` : ''}</span>
        </div>
        {analysis && !analysis.ok && <div className="import-report" role="alert">{analysis.error}</div>}
        {!eeSource && <p className="muted">Choose where the end effector comes from (state columns or a URDF) to see its track.</p>}
        {eeSource && !projection && <p className="muted">No calibration for this camera yet: use the dataset's, a saved one, or calibrate by clicks.</p>}
      </div>
      <div className="ep-side">
        {a && (
          <>
            <h3>Gripper events</h3>
            <p className="muted" data-testid="gripper-events">{a.events.length ? a.events.map((e) => `${e.state === 'closed' ? 'close' : 'open'} @ ${e.frame}`).join(', ') : 'none'}</p>
            <h3>Segments → samples</h3>
            <ol className="ep-segments" data-testid="segments">
              {a.segments.map((s, i) => (
                <li key={i}>
                  frames {s.start}–{s.end}, {a.paths[i].points.length} points
                  {cuts && i > 0 && <button className="btn-icon" aria-label={`Remove cut at frame ${s.start}`} onClick={() => workspace.removeCut(s.start)}>×</button>}
                </li>
              ))}
            </ol>
            <div className="toolbar">
              <button className="btn btn-small" disabled={cursor <= 0 || cursor >= n - 1} onClick={() => workspace.cutAt(cursor)}>Cut at frame {cursor}</button>
              {cuts && <button className="btn btn-small" onClick={() => workspace.resetCuts()}>Reset cuts</button>}
            </div>
          </>
        )}
      </div>
      <div className="ep-charts">
        <LineChart title="observation.state" series={stateSeries} cursor={cursor} marks={marks} />
        {actionSeries.length > 0 && <LineChart title="action" series={actionSeries} cursor={cursor} marks={marks} />}
      </div>
    </div>
  );
}
