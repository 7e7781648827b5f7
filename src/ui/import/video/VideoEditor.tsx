import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { Link } from 'react-router-dom';
import { makeEveryNthFrameSamples, makeSegmentSamples } from '../../../importers/video/makeVideoSamples';
import type { VideoRecord } from '../../../app/records';
import { getVideo, getVideoBlob, updateVideoAnnotation } from '../../../app/video/videos';
import {
  adjacentKeyframe, applyTrackedPoints, clearTrack, createSegment, readAnnotation, replaceSegment, resizeSegment, segmentAt,
  setKeyframe, toggleGripperEvent, trackingRuns, unreliableFrames, type VideoAnnotation, type VideoSegment,
} from '../../../tracking/annotation';
import { TrackingClient } from '../../../tracking/trackingClient';
import { trackProblem } from '../../../tracking/trackToPath';
import { FrameSource } from '../../../video/frameSource';
import { formatTimecode } from '../../../video/frameIndex';
import { useJobs } from '../../../app/jobs/jobs';
import { notify, notifyError } from '../../../app/toasts';
import { formatBinding } from '../../../core/commands';
import { screenRegistry } from '../../../app/keymap';
import type { VideoAction } from '../../../app/video/videoCommands';
import { isTextField } from '../../common/isTextField';
import { KeymapOverlay } from '../../common/KeymapOverlay';
import { Timeline } from './Timeline';

interface Props {
  videoId: string;
  onClose: () => void;
}


/**
 * The timeline / tracking editor for one video: play, step and scrub; mark segments with an
 * instruction; click the point to follow on a segment's first frame (it is tracked in a worker),
 * correct it on any frame (tracking resumes from the correction); mark gripper events; make samples.
 */
export function VideoEditor({ videoId, onClose }: Props) {
  const [video, setVideo] = useState<VideoRecord>();
  const [error, setError] = useState<string>();
  const [annotation, setAnnotation] = useState<VideoAnnotation>({ segments: [], gripperEvents: [] });
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [selectedId, setSelectedId] = useState<string>();
  const [helpOpen, setHelpOpen] = useState(false);
  const [zoom, setZoom] = useState(1);
  const [trackingIds, setTrackingIds] = useState<Set<string>>(new Set());
  const [everyN, setEveryN] = useState(30);
  const [lastSamples, setLastSamples] = useState<{ datasetId: string; sampleId: string } | undefined>();
  const canvas = useRef<HTMLCanvasElement>(null);
  const source = useRef<FrameSource | undefined>(undefined);
  const blob = useRef<Blob | undefined>(undefined);
  const tracker = useRef<TrackingClient | undefined>(undefined);
  const bitmap = useRef<ImageBitmap | undefined>(undefined);
  const loaded = useRef(false);
  const [ready, setReady] = useState(false);
  const annotationRef = useRef(annotation);
  annotationRef.current = annotation;

  const frameTimes = useMemo(() => (video?.annotation.frameTimes as number[] | undefined) ?? [], [video]);
  const running = useRef(new Map<string, AbortController>());
  const frameCount = video?.frameCount ?? 0;
  const last = Math.max(0, frameCount - 1);
  const selected = annotation.segments.find((s) => s.id === selectedId);

  // Load the record, the Blob and a frame source; dispose them on leave.
  useEffect(() => {
    let alive = true;
    tracker.current = new TrackingClient();
    void (async () => {
      try {
        const v = await getVideo(videoId);
        if (!v) throw new Error('This video is no longer in the studio.');
        const b = await getVideoBlob(v);
        if (!b) throw new Error(`The file of ${v.name} is missing from storage; import it again.`);
        const s = await FrameSource.open(b, v.name, v.annotation.frameTimes as number[]);
        if (!alive) return s.dispose();
        blob.current = b;
        source.current = s;
        const a = readAnnotation(v.annotation);
        setVideo(v);
        setAnnotation(a);
        setSelectedId(a.segments[0]?.id);
        loaded.current = true;
        setReady(true);
      } catch (e) {
        if (alive) setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      alive = false;
      tracker.current?.dispose();
      source.current?.dispose();
      source.current = undefined;
    };
  }, [videoId]);

  // Save the annotation shortly after it changes.
  useEffect(() => {
    if (!loaded.current || !video) return;
    const t = setTimeout(() => void updateVideoAnnotation(video.id, { ...annotation, frameTimes: video.annotation.frameTimes }).catch(notifyError), 300);
    return () => clearTimeout(t);
  }, [annotation, video]);

  const draw = useCallback(() => {
    const c = canvas.current, b = bitmap.current;
    if (!c || !b || !video) return;
    if (c.width !== b.width || c.height !== b.height) { c.width = b.width; c.height = b.height; }
    const ctx = c.getContext('2d')!;
    ctx.drawImage(b, 0, 0);
    const seg = segmentAt(annotationRef.current, frame) ?? annotationRef.current.segments.find((s) => s.id === selectedId);
    if (!seg) return;
    const r = Math.max(3, Math.round(Math.min(c.width, c.height) / 120));
    ctx.lineWidth = Math.max(1, r / 2);
    // The track so far: green where reliable, red where the check failed.
    for (let i = 1; i < seg.track.length; i++) {
      const p = seg.track[i - 1], q = seg.track[i];
      if (!p || !q) continue;
      ctx.strokeStyle = q.reliable ? 'rgba(62, 207, 142, .9)' : 'rgba(255, 92, 92, .9)';
      ctx.beginPath(); ctx.moveTo(p.x, p.y); ctx.lineTo(q.x, q.y); ctx.stroke();
    }
    for (const k of seg.keyframes) {
      ctx.fillStyle = '#f5b84d';
      ctx.fillRect(k.x - r / 2, k.y - r / 2, r, r);
    }
    const cur = frame >= seg.start && frame <= seg.end ? seg.track[frame - seg.start] : null;
    if (cur) {
      ctx.strokeStyle = cur.reliable ? '#3ecf8e' : '#ff5c5c';
      ctx.lineWidth = Math.max(2, r / 2);
      ctx.beginPath(); ctx.arc(cur.x, cur.y, r * 2, 0, Math.PI * 2); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(cur.x - r * 3, cur.y); ctx.lineTo(cur.x + r * 3, cur.y); ctx.moveTo(cur.x, cur.y - r * 3); ctx.lineTo(cur.x, cur.y + r * 3); ctx.stroke();
    }
  }, [frame, selectedId, video]);

  // Decode (or fetch from cache) the current frame, then draw; a stale result is ignored.
  useEffect(() => {
    let current = true;
    if (!ready || !source.current) return;
    source.current.frame(frame).then((b) => {
      if (!current) return;
      bitmap.current = b;
      draw();
    }, (e) => current && notifyError(e));
    return () => { current = false; };
  }, [frame, ready, draw]);

  useEffect(() => draw(), [annotation, draw]);

  // Playback: decode ahead one frame at a time, paced by the video's frame rate.
  useEffect(() => {
    if (!playing || !video || !source.current) return;
    let stop = false;
    const fps = video.fps || 30;
    void (async () => {
      const t0 = performance.now();
      const f0 = frame;
      for (let f = f0 + 1; f <= last && !stop; f++) {
        await source.current?.frame(f);
        const wait = t0 + ((f - f0) / fps) * 1000 - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (stop) return;
        setFrame(f);
      }
      setPlaying(false);
    })();
    return () => { stop = true; };
    // Playback restarts only on play/pause, not on every frame it advances.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playing, video]);

  const seek = useCallback((f: number) => { setPlaying(false); setFrame(Math.max(0, Math.min(last, f))); }, [last]);

  const updateSegment = useCallback((id: string, fn: (s: VideoSegment) => VideoSegment) => {
    setAnnotation((a) => {
      const s = a.segments.find((x) => x.id === id);
      return s ? replaceSegment(a, fn(s)) : a;
    });
  }, []);

  /** Tracks the runs of a segment (all, or the one starting at a corrected keyframe) in the worker. */
  const track = useCallback(async (segmentId: string, changedFrame?: number) => {
    const seg = annotationRef.current.segments.find((s) => s.id === segmentId);
    if (!seg || !video || !blob.current || !tracker.current) return;
    // A correction during tracking stops the old job; runs it left unfinished are tracked again.
    running.current.get(segmentId)?.abort();
    const hasGaps = (from: number, to: number) => seg.track.slice(from + 1 - seg.start, to + 1 - seg.start).some((p) => !p);
    const runs = trackingRuns(seg).filter((r) => changedFrame === undefined || r.from === changedFrame || hasGaps(r.from, r.to));
    if (!runs.length) {
      notify({ kind: 'info', message: 'Click the point to follow on the segment’s first frame first.' });
      return;
    }
    for (const r of runs) updateSegment(segmentId, (s) => clearTrack(s, r.from + 1, r.to));
    const controller = new AbortController();
    running.current.set(segmentId, controller);
    const jobs = useJobs.getState();
    const total = runs.reduce((n, r) => n + r.to - r.from + 1, 0);
    const job = jobs.start(`Tracking ${video.name} (frames ${runs[0].from}–${runs[runs.length - 1].to})`, total, () => controller.abort());
    setTrackingIds((ids) => new Set(ids).add(segmentId));
    try {
      await tracker.current.track(blob.current, video.name, frameTimes, runs, {
        signal: controller.signal,
        onPoints: (points, done) => {
          updateSegment(segmentId, (s) => applyTrackedPoints(s, points));
          jobs.progress(job, done);
        },
        onStage: (stage) => jobs.describe(job, stage ?? undefined),
      });
    } catch (e) {
      if (!(e instanceof DOMException && e.name === 'AbortError')) notifyError(e);
    } finally {
      jobs.finish(job);
      if (running.current.get(segmentId) === controller) {
        running.current.delete(segmentId);
        setTrackingIds((ids) => { const n = new Set(ids); n.delete(segmentId); return n; });
      }
    }
  }, [video, frameTimes, updateSegment]);

  function newSegment(from = frame) {
    const seg = createSegment(crypto.randomUUID(), from, Math.min(last, from + Math.max(1, Math.round((video?.fps || 30) * 3))));
    setAnnotation((a) => ({ ...a, segments: [...a.segments, seg].sort((x, y) => x.start - y.start) }));
    setSelectedId(seg.id);
    return seg;
  }

  function onCanvasClick(e: MouseEvent<HTMLCanvasElement>) {
    const c = canvas.current!;
    const rect = c.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * c.width;
    const y = ((e.clientY - rect.top) / rect.height) * c.height;
    const base = annotationRef.current;
    const chosen = base.segments.find((q) => q.id === selectedId);
    let seg = (chosen && frame >= chosen.start && frame <= chosen.end ? chosen : undefined) ?? segmentAt(base, frame);
    let next = base;
    if (!seg) {
      // Clicking outside any segment starts one here, to the end of the video.
      seg = createSegment(crypto.randomUUID(), frame, last);
      next = { ...next, segments: [...next.segments, seg].sort((p, q) => p.start - q.start) };
    }
    const updated = setKeyframe(seg, frame, x, y);
    next = replaceSegment(next, updated);
    annotationRef.current = next;
    setAnnotation(next);
    setSelectedId(updated.id);
    void track(updated.id, frame);
  }

  const run = useCallback((command: VideoAction) => {
    const seg = selected ?? segmentAt(annotation, frame);
    switch (command) {
      case 'playPause': setPlaying((p) => !p); break;
      case 'prevFrame': seek(frame - 1); break;
      case 'nextFrame': seek(frame + 1); break;
      case 'back10': seek(frame - 10); break;
      case 'forward10': seek(frame + 10); break;
      case 'nextKeyframe':
      case 'prevKeyframe': {
        const k = seg && adjacentKeyframe(seg, frame, command === 'nextKeyframe' ? 1 : -1);
        if (k !== undefined) seek(k);
        break;
      }
      case 'gripperClose': setAnnotation((a) => toggleGripperEvent(a, frame, 'closed')); break;
      case 'gripperOpen': setAnnotation((a) => toggleGripperEvent(a, frame, 'open')); break;
      case 'newSegment': newSegment(); break;
      case 'segmentStart': if (seg) updateSegment(seg.id, (s) => resizeSegment(s, frame, s.end)); break;
      case 'segmentEnd': if (seg) updateSegment(seg.id, (s) => resizeSegment(s, s.start, frame)); break;
      case 'track': if (seg) void track(seg.id); break;
      case 'help': setHelpOpen((open) => !open); break;
    }
    // newSegment reads the same state as the listed deps.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected, annotation, frame, seek, updateSegment, track]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTextField(e.target) || helpOpen) return;
      if (screenRegistry('video').dispatchKey({ perform: run }, e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run, helpOpen]);

  async function makeSamples(segments: VideoSegment[]) {
    if (!video || !source.current) return;
    try {
      const { samples, updated, skipped } = await makeSegmentSamples(video, segments, annotation.gripperEvents, source.current);
      for (const s of skipped) notify({ kind: 'error', message: `Segment ${s.segment.start}–${s.segment.end}: ${s.reason}.` });
      for (const u of updated) notify({ kind: 'success', message: `Updated the sample of frames ${u.segment.start}–${u.segment.end} (one sample per segment).` });
      if (updated.length && !samples.length) setLastSamples({ datasetId: video.datasetId, sampleId: updated[updated.length - 1].sampleId });
      if (samples.length) {
        setLastSamples({ datasetId: video.datasetId, sampleId: samples[samples.length - 1].id });
        notify({ kind: 'success', message: `Made ${samples.length} sample${samples.length > 1 ? 's' : ''} from ${video.name}.` });
      }
    } catch (e) {
      notifyError(e);
    }
  }

  async function makeEveryN() {
    if (!video || !source.current) return;
    const controller = new AbortController();
    const jobs = useJobs.getState();
    const job = jobs.start(`Frames of ${video.name} every ${everyN}`, Math.ceil(frameCount / everyN), () => controller.abort());
    try {
      const samples = await makeEveryNthFrameSamples(video, source.current, everyN, { signal: controller.signal, onProgress: (d) => jobs.progress(job, d) });
      notify({ kind: 'success', message: `Made ${samples.length} images for sketching from ${video.name}.` });
    } catch (e) {
      if (controller.signal.aborted) notify({ kind: 'info', message: 'Cancelled; no images were added.' });
      else notifyError(e);
    } finally {
      jobs.finish(job);
    }
  }

  if (error) return <div className="empty-state"><h2>Cannot open the video</h2><p>{error}</p><button className="btn" onClick={onClose}>Back to videos</button></div>;
  if (!video || !ready) return <div className="page-loading" aria-busy="true">Opening video…</div>;

  const cur = segmentAt(annotation, frame);
  const curPoint = cur?.track[frame - cur.start];
  return (
    <div className="video-editor">
      {helpOpen && <KeymapOverlay registry={screenRegistry('video')} context={{ perform: run }} intro="Click the frame to place or correct the point; tracking resumes from it." onClose={() => setHelpOpen(false)} />}
      <div className="video-main">
        <div className="video-toolbar">
          <button className="btn btn-small" onClick={onClose}>← Videos</button>
          <strong>{video.name}</strong>
          <span className="muted">{video.width}×{video.height} · {video.fps} fps · {video.codec}</span>
          <span className="spacer" />
          {curPoint && <span className={curPoint.reliable ? 'muted' : 'warn-text'} data-testid="point-status">{curPoint.reliable ? 'tracked' : 'unreliable: correct it by clicking'}</span>}
        </div>
        <div className="video-stage">
          <canvas ref={canvas} data-testid="video-frame" aria-label={`Frame ${frame}: click the point to follow`} onClick={onCanvasClick} />
        </div>
        <div className="video-toolbar">
          <button className="btn btn-small" onClick={() => run('playPause')} aria-label={playing ? 'Pause' : 'Play'}>{playing ? '❚❚' : '▶'}</button>
          <button className="btn btn-small" onClick={() => run('back10')} aria-label="10 frames back">«</button>
          <button className="btn btn-small" onClick={() => run('prevFrame')} aria-label="Previous frame">‹</button>
          <button className="btn btn-small" onClick={() => run('nextFrame')} aria-label="Next frame">›</button>
          <button className="btn btn-small" onClick={() => run('forward10')} aria-label="10 frames forward">»</button>
          <span className="frame-counter" data-testid="frame-counter">Frame {frame} / {last}</span>
          <span className="muted">{formatTimecode(frame, video.fps)}</span>
          <input className="video-scrub" type="range" min={0} max={last} value={frame} aria-label="Scrub frames" onChange={(e) => seek(Number(e.target.value))} />
          <label className="muted">Zoom <input type="range" min={1} max={20} step={0.5} value={zoom} aria-label="Timeline zoom" onChange={(e) => setZoom(Number(e.target.value))} /></label>
        </div>
        <Timeline frameCount={frameCount} frame={frame} zoom={zoom} segments={annotation.segments} selectedId={selectedId} gripperEvents={annotation.gripperEvents} onSeek={seek} onSelect={setSelectedId} />
      </div>

      <aside className="video-side">
        <section aria-label="Segments">
          <div className="row" style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
            <h3>Segments</h3>
            <span className="spacer" style={{ flex: 1 }} />
            <button className="btn btn-small" onClick={() => newSegment()}>New segment here</button>
          </div>
          {annotation.segments.length === 0 && <p className="muted">No segments yet. Go to where a task starts and press N, or click the point to follow: a segment starts there.</p>}
          {annotation.segments.map((s, i) => {
            const bad = unreliableFrames(s).length;
            const tracked = s.track.filter(Boolean).length;
            const notReady = trackProblem({ usedFrames: tracked - bad, unreliableFrames: bad });
            return (
              <div key={s.id} className={`segment-card${s.id === selectedId ? ' selected' : ''}`} data-testid={`segment-${i + 1}`} onClick={() => setSelectedId(s.id)}>
                <div className="row">
                  <button className="btn btn-small" onClick={() => seek(s.start)} aria-label={`Go to segment ${i + 1}`}>#{i + 1}</button>
                  <span>frames {s.start}–{s.end}</span>
                  <span className="muted">{tracked}/{s.end - s.start + 1} tracked</span>
                </div>
                <input aria-label={`Instruction for segment ${i + 1}`} placeholder="Instruction, e.g. pick up the red cup" title="Esc returns the keys to the video" value={s.instruction} onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()} onChange={(e) => updateSegment(s.id, (x) => ({ ...x, instruction: e.target.value }))} />
                {notReady ? <span className="warn-text" data-testid="track-problem">{notReady[0].toUpperCase() + notReady.slice(1)}.</span>
                  : bad > 0 && <span className="warn-text">{bad} unreliable frame{bad > 1 ? 's' : ''}: step there and click the right point.</span>}
                <div className="row">
                  <button className="btn btn-small" disabled={trackingIds.has(s.id)} onClick={() => void track(s.id)}>{trackingIds.has(s.id) ? 'Tracking…' : 'Track'}</button>
                  <button className="btn btn-small btn-primary" disabled={trackingIds.has(s.id) || !!notReady} title={notReady ?? undefined} onClick={() => void makeSamples([s])}>Make sample</button>
                  <button className="btn btn-small btn-danger" onClick={() => setAnnotation((a) => ({ ...a, segments: a.segments.filter((x) => x.id !== s.id) }))}>Delete</button>
                </div>
              </div>
            );
          })}
          {annotation.segments.length > 1 && <button className="btn btn-small" onClick={() => void makeSamples(annotation.segments)}>Make samples for all segments</button>}
          {lastSamples && <Link to={`/annotate/${lastSamples.datasetId}/${lastSamples.sampleId}`}>Open the new sample in Annotate</Link>}
        </section>
        <section aria-label="Images for sketching">
          <h3>Images for sketching</h3>
          <div className="row" style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
            <label>One sample every <input type="number" min={1} max={Math.max(1, frameCount)} value={everyN} style={{ width: 70 }} aria-label="Frames between samples" onChange={(e) => setEveryN(Math.max(1, Math.round(Number(e.target.value) || 1)))} /> frames</label>
            <button className="btn btn-small" onClick={() => void makeEveryN()}>Add {Math.ceil(frameCount / everyN)} images</button>
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
