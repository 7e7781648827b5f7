import { describe, expect, it } from 'vitest';
import { COLORS, renderPathLayer } from './render';
import { EditorTestDriver } from '../testing/editorTestDriver';

/** A CanvasRenderingContext2D stand-in that records what is drawn: arcs with the stroke/fill style in force. */
function recordingContext() {
  const arcs: { x: number; y: number; r: number }[] = [];
  const strokes: { style: unknown; arcs: { x: number; y: number; r: number }[] }[] = [];
  const texts: string[] = [];
  let pending: { x: number; y: number; r: number }[] = [];
  const state: Record<string, unknown> = {};
  const ctx = new Proxy(state, {
    get(target, prop: string) {
      if (prop in target) return target[prop];
      if (prop === 'arc') return (x: number, y: number, r: number) => { arcs.push({ x, y, r }); pending.push({ x, y, r }); };
      if (prop === 'beginPath') return () => { pending = []; };
      if (prop === 'stroke') return () => strokes.push({ style: target.strokeStyle, arcs: [...pending] });
      if (prop === 'fillText') return (text: string) => texts.push(text);
      return () => undefined;
    },
    set(target, prop: string, value) {
      target[prop] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, arcs, strokes, texts };
}

describe('renderPathLayer', () => {
  it('marks start and end, rings gripper events in HAMSTER colours, and draws every handle', () => {
    const d = new EditorTestDriver();
    for (const x of [0.1, 0.4, 0.7, 0.9]) d.click(d.at(x, 0.5));
    d.editor.toggleGripperAt(1); // close at 2nd point
    d.editor.toggleGripperAt(3); // open at 4th point
    const { ctx, strokes, texts } = recordingContext();
    renderPathLayer(ctx, d.editor.getSnapshot(), 2);
    const ringAt = (color: string) => strokes.filter((s) => s.style === color).flatMap((s) => s.arcs).map((a) => Math.round(a.x));
    expect(ringAt(COLORS.gripperClosed)).toEqual([Math.round(d.at(0.4, 0.5).x)]);
    expect(ringAt(COLORS.gripperOpen)).toEqual([Math.round(d.at(0.9, 0.5).x)]);
    expect(texts).toEqual(expect.arrayContaining(['S', 'E']));
    // 4 handles + start and end marks, in screen space whatever the pixel ratio.
    const handles = strokes.filter((s) => s.style === COLORS.handleStroke).flatMap((s) => s.arcs);
    expect(handles).toHaveLength(6);
    expect(handles.map((a) => Math.round(a.x))).toContain(Math.round(d.at(0.7, 0.5).x));
  });

  it('draws the freehand stroke in progress', () => {
    const d = new EditorTestDriver();
    d.drag(d.at(0.1, 0.1), d.at(0.5, 0.5), { release: false });
    const { ctx, strokes } = recordingContext();
    renderPathLayer(ctx, d.editor.getSnapshot(), 1);
    expect(strokes.some((s) => s.style === COLORS.draft)).toBe(true);
  });
});
