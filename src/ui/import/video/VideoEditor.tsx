import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Link } from 'react-router-dom';
import { formatBinding } from '../../../core/commands';
import { screenRegistry } from '../../../app/keymap';
import { apertureSeries, pointOn, segmentShown, segmentStatus } from '../../../app/video/segmentView';
import { VideoEditorController } from '../../../app/video/videoEditorController';
import { formatTimecode } from '../../../app/video/videos';
import { isTextField } from '../../common/isTextField';
import { KeymapOverlay } from '../../common/KeymapOverlay';
import { AperturePlot } from './AperturePlot';
import { FrameView } from './FrameView';
import { Timeline } from './Timeline';

interface Props {
  videoId: string;
  onClose: () => void;
}

/**
 * The timeline / tracking editor for one video: play, step and scrub; mark segments with an
 * instruction; click the point to follow on a segment's first frame (it is tracked in a worker),
 * correct it on any frame (tracking resumes from the correction); mark gripper events; make samples.
 * The work is VideoEditorController's; this renders its snapshot.
 */
export function VideoEditor({ videoId, onClose }: Props) {
  const [controller, setController] = useState<VideoEditorController | null>(null);
  // Created in an effect (not during render) so StrictMode's mount-unmount-mount gets a fresh one.
  useEffect(() => {
    const c = new VideoEditorController(videoId);
    setController(c);
    void c.open();
    return () => c.dispose();
  }, [videoId]);
  if (!controller) return <div className="page-loading" aria-busy="true">Opening video…</div>;
  return <VideoEditorView controller={controller} onClose={onClose} />;
}

function VideoEditorView({ controller, onClose }: { controller: VideoEditorController; onClose: () => void }) {
  const { video, error, annotation, frame, image, playing, selectedId, trackingIds, helpOpen, lastSamples } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const [zoom, setZoom] = useState(1);
  const [everyN, setEveryN] = useState(30);
  const shownSegment = video ? segmentShown(annotation, frame, selectedId) : undefined;
  // Rebuilt only when the aperture changes (uPlot is recreated with it), not on every frame.
  const aperture = useMemo(() => apertureSeries(shownSegment), [shownSegment?.aperture, shownSegment?.start]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isTextField(e.target) && controller.handleKey(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);

  if (error) return <div className="empty-state"><h2>Cannot open the video</h2><p>{error}</p><button className="btn" onClick={onClose}>Back to videos</button></div>;
  if (!video) return <div className="page-loading" aria-busy="true">Opening video…</div>;

  const frameCount = video.frameCount;
  const last = Math.max(0, frameCount - 1);
  const shown = shownSegment;
  const curPoint = pointOn(shown, frame);
  const seek = (f: number) => controller.seek(f);
  return (
    <div className="video-editor">
      {helpOpen && <KeymapOverlay registry={screenRegistry('video')} context={controller.commands} intro="Click the frame to place or correct the point; tracking resumes from it." onClose={() => controller.setHelpOpen(false)} />}
      <div className="video-main">
        <div className="video-toolbar">
          <button className="btn btn-small" onClick={onClose}>← Videos</button>
          <strong>{video.name}</strong>
          <span className="muted">{video.width}×{video.height} · {video.fps} fps · {video.codec}</span>
          <span className="spacer" />
          {curPoint && <span className={curPoint.reliable ? 'muted' : 'warn-text'} data-testid="point-status">{curPoint.reliable ? 'tracked' : 'unreliable: correct it by clicking'}</span>}
        </div>
        <div className="video-stage">
          <FrameView frame={frame} image={image} segment={shown} point={curPoint} onPlace={(x, y) => controller.placePoint(x, y)} />
        </div>
        <div className="video-toolbar">
          <button className="btn btn-small" onClick={() => controller.togglePlay()} aria-label={playing ? 'Pause' : 'Play'}>{playing ? '❚❚' : '▶'}</button>
          <button className="btn btn-small" onClick={() => seek(frame - 10)} aria-label="10 frames back">«</button>
          <button className="btn btn-small" onClick={() => seek(frame - 1)} aria-label="Previous frame">‹</button>
          <button className="btn btn-small" onClick={() => seek(frame + 1)} aria-label="Next frame">›</button>
          <button className="btn btn-small" onClick={() => seek(frame + 10)} aria-label="10 frames forward">»</button>
          <span className="frame-counter" data-testid="frame-counter">Frame {frame} / {last}</span>
          <span className="muted">{formatTimecode(frame, video.fps)}</span>
          <input className="video-scrub" type="range" min={0} max={last} value={frame} aria-label="Scrub frames" onChange={(e) => seek(Number(e.target.value))} />
          <label className="muted">Zoom <input type="range" min={1} max={20} step={0.5} value={zoom} aria-label="Timeline zoom" onChange={(e) => setZoom(Number(e.target.value))} /></label>
        </div>
        <Timeline frameCount={frameCount} frame={frame} zoom={zoom} segments={annotation.segments} selectedId={selectedId} gripperEvents={annotation.gripperEvents} onSeek={seek} onSelect={(id) => controller.select(id)} />
        {aperture && <AperturePlot series={aperture} frame={frame} onSeek={seek} />}
      </div>

      <aside className="video-side">
        <section aria-label="Segments">
          <div className="row" style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
            <h3>Segments</h3>
            <span className="spacer" style={{ flex: 1 }} />
            <button className="btn btn-small" onClick={() => controller.newSegment()}>New segment here</button>
          </div>
          {annotation.segments.length === 0 && <p className="muted">No segments yet. Go to where a task starts and press N, or click the point to follow: a segment starts there.</p>}
          {annotation.segments.map((s, i) => {
            const status = segmentStatus(s);
            const bad = status.unreliableFrames.length, tracked = status.tracked, notReady = status.problem;
            return (
              <div key={s.id} className={`segment-card${s.id === selectedId ? ' selected' : ''}`} data-testid={`segment-${i + 1}`} data-tracked={tracked} onClick={() => controller.select(s.id)}>
                <div className="row">
                  <button className="btn btn-small" onClick={() => seek(s.start)} aria-label={`Go to segment ${i + 1}`}>#{i + 1}</button>
                  <span>frames {s.start}–{s.end}</span>
                  <span className="muted">{tracked}/{s.end - s.start + 1} tracked</span>
                </div>
                <label className="muted">Follow <select aria-label={`Tracker for segment ${i + 1}`} value={s.tracker ?? 'point'} disabled={trackingIds.has(s.id)} onChange={(e) => controller.setTracker(s.id, e.target.value === 'hand' ? 'hand' : 'point')}>
                  <option value="point">a clicked point</option>
                  <option value="hand">the hand (grasp point)</option>
                </select></label>
                <input aria-label={`Instruction for segment ${i + 1}`} placeholder="Instruction, e.g. pick up the red cup" title="Esc returns the keys to the video" value={s.instruction} onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()} onChange={(e) => controller.setInstruction(s.id, e.target.value)} />
                {notReady ? <span className="warn-text" data-testid="track-problem">{notReady[0].toUpperCase() + notReady.slice(1)}.</span>
                  : bad > 0 && <span className="warn-text">{bad} unreliable frame{bad > 1 ? 's' : ''}: step there and click the right point.</span>}
                <div className="row">
                  <button className="btn btn-small" disabled={trackingIds.has(s.id)} onClick={() => void controller.track(s.id)}>{trackingIds.has(s.id) ? 'Tracking…' : 'Track'}</button>
                  <button className="btn btn-small btn-primary" disabled={trackingIds.has(s.id) || !!notReady} title={notReady ?? undefined} onClick={() => void controller.makeSamples([s])}>Make sample</button>
                  <button className="btn btn-small btn-danger" onClick={() => controller.deleteSegment(s.id)}>Delete</button>
                </div>
              </div>
            );
          })}
          {annotation.segments.length > 1 && <button className="btn btn-small" onClick={() => void controller.makeSamples(annotation.segments)}>Make samples for all segments</button>}
          {lastSamples && <Link to={`/annotate/${lastSamples.datasetId}/${lastSamples.sampleId}`}>Open the new sample in Annotate</Link>}
        </section>
        <section aria-label="Images for sketching">
          <h3>Images for sketching</h3>
          <div className="row" style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
            <label>One sample every <input type="number" min={1} max={Math.max(1, frameCount)} value={everyN} style={{ width: 70 }} aria-label="Frames between samples" onChange={(e) => setEveryN(Math.max(1, Math.round(Number(e.target.value) || 1)))} /> frames</label>
            <button className="btn btn-small" onClick={() => void controller.makeEveryNthFrame(everyN)}>Add {Math.ceil(frameCount / everyN)} images</button>
          </div>
        </section>
        <section aria-label="Gripper events">
          <h3>Gripper</h3>
          {annotation.gripperEvents.length === 0 ? <p className="muted">Press C where the gripper closes and O where it opens.</p> : (
            <ul>{annotation.gripperEvents.map((g) => <li key={g.frame}><button className="btn btn-small" onClick={() => seek(g.frame)}>frame {g.frame}</button> {g.state === 'closed' ? 'closes' : 'opens'}</li>)}</ul>
          )}
        </section>
        <section aria-label="Keyboard shortcuts">
          <h3>Shortcuts</h3>
          <table className="shortcut-table"><tbody>
            {screenRegistry('video').list().map((c) => <tr key={c.id}><td>{c.keys.map((k) => <kbd key={k}>{formatBinding(k)}</kbd>)}</td><td>{c.label}</td></tr>)}
            <tr><td><kbd>Click</kbd></td><td>Place / correct the point (tracking resumes from it)</td></tr>
          </tbody></table>
        </section>
      </aside>
    </div>
  );
}
