import { useRef, type PointerEvent } from 'react';
import type { GripperEvent, VideoSegment } from '../../../tracking/annotation';
import { segmentStatus } from '../../../app/video/segmentView';

interface Props {
  frameCount: number;
  frame: number;
  zoom: number;
  segments: VideoSegment[];
  selectedId?: string;
  gripperEvents: GripperEvent[];
  onSeek: (frame: number) => void;
  onSelect: (segmentId: string) => void;
}

/**
 * The timeline: segments, keyframes, unreliable frames and gripper events over the frame axis,
 * with a playhead. Click or drag to scrub; zoom widens the axis (the strip scrolls).
 */
export function Timeline({ frameCount, frame, zoom, segments, selectedId, gripperEvents, onSeek, onSelect }: Props) {
  const strip = useRef<HTMLDivElement>(null);
  const last = Math.max(1, frameCount - 1);
  const at = (f: number) => `${(f / last) * 100}%`;
  const span = (a: number, b: number) => `${((b - a + 1) / (last + 1)) * 100}%`;

  function seekFromPointer(e: PointerEvent) {
    const rect = strip.current!.getBoundingClientRect();
    const f = Math.round(((e.clientX - rect.left) / rect.width) * last);
    onSeek(Math.max(0, Math.min(last, f)));
  }

  return (
    <div className="timeline-scroll">
      <div
        ref={strip}
        className="timeline"
        style={{ width: `${100 * zoom}%` }}
        data-testid="timeline"
        onPointerDown={(e) => { (e.target as Element).setPointerCapture?.(e.pointerId); seekFromPointer(e); }}
        onPointerMove={(e) => { if (e.buttons & 1) seekFromPointer(e); }}
      >
        {segments.map((s, i) => (
          <div
            key={s.id}
            className={`timeline-segment${s.id === selectedId ? ' selected' : ''}`}
            style={{ left: at(s.start), width: span(s.start, s.end) }}
            title={`Segment ${i + 1}: frames ${s.start}–${s.end}${s.instruction ? ` — ${s.instruction}` : ''}`}
            onPointerDown={() => onSelect(s.id)}
          >
            {segmentStatus(s).unreliableFrames.map((f) => <span key={f} className="timeline-unreliable" style={{ left: `${((f - s.start) / Math.max(1, s.end - s.start)) * 100}%` }} />)}
            {s.keyframes.map((k) => <span key={k.frame} className="timeline-keyframe" style={{ left: `${((k.frame - s.start) / Math.max(1, s.end - s.start)) * 100}%` }} title={`Keyframe ${k.frame}`} />)}
          </div>
        ))}
        {gripperEvents.map((g) => (
          <span key={g.frame} className={`timeline-gripper ${g.state}`} style={{ left: at(g.frame) }} data-testid={`gripper-${g.state}-${g.frame}`} title={`Gripper ${g.state === 'closed' ? 'closes' : 'opens'} at frame ${g.frame}`}>
            {g.state === 'closed' ? '▼' : '▲'}
          </span>
        ))}
        <div className="timeline-playhead" style={{ left: at(frame) }} />
      </div>
    </div>
  );
}
