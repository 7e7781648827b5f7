import { describe, expect, it, vi } from 'vitest';
import type { Path } from '../core/path';
import { EditorTestDriver, rounded } from '../testing/editorTestDriver';

const path = (...points: [number, number, ('open' | 'closed')?][]): Path => ({
  initialGripper: 'open',
  points: points.map(([x, y, gripper = 'open']) => ({ x, y, gripper })),
});

describe('Editor: drawing', () => {
  it('adds a waypoint per click, in normalized coordinates, and selects the newest', () => {
    const d = new EditorTestDriver();
    d.click(d.at(0.25, 0.5)).click(d.at(0.75, 0.1));
    expect(rounded(d.path)).toEqual([
      [0.25, 0.5, 'open'],
      [0.75, 0.1, 'open'],
    ]);
    expect(d.editor.selection).toBe(1);
    expect(d.editor.history.canUndo).toBe(true);
  });

  it('ignores a click outside the image', () => {
    const d = new EditorTestDriver();
    d.click({ x: 2, y: 2 });
    expect(d.path.points).toEqual([]);
  });

  it('turns a press-and-drag on empty canvas into a simplified freehand stroke, one undo step', () => {
    const simplifyStroke = vi.fn((points: { x: number; y: number }[]) => [points[0], points[points.length - 1]]);
    const d = new EditorTestDriver({ simplifyStroke });
    d.drag(d.at(0.1, 0.1), d.at(0.1, 0.4), { steps: 3, release: false });
    expect(d.editor.getSnapshot().draft).toHaveLength(4);
    expect(d.editor.toolState).toBe('freehand');
    d.pointerUp(d.at(0.1, 0.5));
    expect(simplifyStroke).toHaveBeenCalledOnce();
    expect(rounded(d.path)).toEqual([
      [0.1, 0.1, 'open'],
      [0.1, 0.5, 'open'],
    ]);
    expect(d.editor.getSnapshot().draft).toBeNull();
    d.key('Mod+Z');
    expect(d.path.points).toEqual([]);
  });

  it('drops a freehand stroke when Escape is pressed mid-stroke', () => {
    const d = new EditorTestDriver({ path: path([0.5, 0.5]) });
    d.drag(d.at(0.1, 0.1), d.at(0.3, 0.3), { release: false });
    expect(d.key('Escape')).toBe('editor.cancel');
    d.pointerUp();
    expect(rounded(d.path)).toEqual([[0.5, 0.5, 'open']]);
    expect(d.editor.toolState).toBe('idle');
  });

  it('moves a dragged point, keeping the grab offset, as one undo step', () => {
    const d = new EditorTestDriver({ path: path([0.2, 0.2], [0.6, 0.6]) });
    const grab = d.at(0.2, 0.2);
    d.drag({ x: grab.x + 3, y: grab.y }, { x: grab.x + 103, y: grab.y + 50 }, { steps: 10 });
    // 100 px right on a 1000 px image, 50 px down on a 500 px image (scale 1).
    expect(rounded(d.path)).toEqual([
      [0.3, 0.3, 'open'],
      [0.6, 0.6, 'open'],
    ]);
    d.key('Mod+Z');
    expect(rounded(d.path)).toEqual([
      [0.2, 0.2, 'open'],
      [0.6, 0.6, 'open'],
    ]);
    expect(d.editor.history.canUndo).toBe(false);
    d.key('Mod+Shift+Z');
    expect(rounded(d.path)[0]).toEqual([0.3, 0.3, 'open']);
  });

  it('restores the point when Escape cancels a drag, leaving no undo step', () => {
    const d = new EditorTestDriver({ path: path([0.2, 0.2]) });
    d.drag(d.at(0.2, 0.2), d.at(0.9, 0.9), { release: false });
    expect(rounded(d.path)).toEqual([[0.9, 0.9, 'open']]);
    d.key('Escape');
    d.pointerUp();
    expect(rounded(d.path)).toEqual([[0.2, 0.2, 'open']]);
    expect(d.editor.history.canUndo).toBe(false);
  });

  it('clamps a dragged point to the image', () => {
    const d = new EditorTestDriver({ path: path([0.5, 0.5]) });
    d.drag(d.at(0.5, 0.5), { x: -500, y: 2000 });
    expect(rounded(d.path)).toEqual([[0, 1, 'open']]);
  });

  it('selects a point on click without moving it', () => {
    const d = new EditorTestDriver({ path: path([0.2, 0.2], [0.6, 0.6]) });
    d.click({ x: d.at(0.2, 0.2).x + 2, y: d.at(0.2, 0.2).y });
    expect(d.editor.selection).toBe(0);
    expect(d.path.points).toHaveLength(2);
    expect(d.editor.history.canUndo).toBe(false);
  });

  it('inserts a point where a segment is clicked, with the gripper state of that segment', () => {
    const d = new EditorTestDriver({ path: path([0.1, 0.5, 'closed'], [0.9, 0.5, 'open']) });
    d.click({ x: d.at(0.5, 0.5).x, y: d.at(0.5, 0.5).y + 3 });
    expect(rounded(d.path)).toEqual([
      [0.1, 0.5, 'closed'],
      [0.5, 0.5, 'closed'],
      [0.9, 0.5, 'open'],
    ]);
    expect(d.editor.selection).toBe(1);
  });

  it('inserts and drags in one gesture when a segment is dragged; one undo removes both', () => {
    const d = new EditorTestDriver({ path: path([0.1, 0.5], [0.9, 0.5]) });
    d.drag(d.at(0.5, 0.5), d.at(0.5, 0.2));
    expect(rounded(d.path)).toEqual([
      [0.1, 0.5, 'open'],
      [0.5, 0.2, 'open'],
      [0.9, 0.5, 'open'],
    ]);
    d.key('Mod+Z');
    expect(d.path.points).toHaveLength(2);
  });

  it('deletes a point with Delete and with Alt+click', () => {
    const d = new EditorTestDriver({ path: path([0.1, 0.1], [0.5, 0.5], [0.9, 0.1]) });
    d.click(d.at(0.5, 0.5));
    expect(d.key('Delete')).toBe('editor.deletePoint');
    expect(rounded(d.path).map(([x]) => x)).toEqual([0.1, 0.9]);
    d.click(d.at(0.9, 0.1), { altKey: true });
    expect(rounded(d.path).map(([x]) => x)).toEqual([0.1]);
  });

  it('toggles a gripper close, then an open, with G at the selected point', () => {
    const d = new EditorTestDriver();
    for (const x of [0.1, 0.3, 0.5, 0.7]) d.click(d.at(x, 0.5));
    d.key('['); // select the previous point (index 2)
    d.key('['); // index 1
    expect(d.editor.selection).toBe(1);
    d.key('G');
    expect(d.path.points.map((p) => p.gripper)).toEqual(['open', 'closed', 'closed', 'closed']);
    d.key(']');
    d.key(']');
    d.key('G');
    expect(d.path.points.map((p) => p.gripper)).toEqual(['open', 'closed', 'closed', 'open']);
    d.key('Mod+Z');
    d.key('Mod+Z');
    expect(d.path.points.map((p) => p.gripper)).toEqual(['open', 'open', 'open', 'open']);
    d.key('Mod+Y');
    expect(d.path.points.map((p) => p.gripper)).toEqual(['open', 'closed', 'closed', 'closed']);
  });

  it('refuses path commands when nothing is selected', () => {
    const d = new EditorTestDriver({ path: path([0.1, 0.1]) });
    expect(d.key('G')).toBeNull();
    expect(d.key('Delete')).toBeNull();
    expect(d.path.points).toHaveLength(1);
  });

  it('puts the selection back on undo', () => {
    const d = new EditorTestDriver({ path: path([0.1, 0.1], [0.5, 0.5]) });
    d.click(d.at(0.5, 0.5));
    d.key('Delete');
    expect(d.editor.selection).toBe(0);
    d.key('Mod+Z');
    expect(d.editor.selection).toBe(1);
  });

  it('nudges the selected point with the arrow keys, in screen pixels', () => {
    const d = new EditorTestDriver({ path: path([0.5, 0.5]) });
    d.click(d.at(0.5, 0.5));
    d.key('ArrowRight');
    d.key('Shift+ArrowDown');
    expect(rounded(d.path)).toEqual([[0.501, 0.52, 'open']]);
  });

  it('snaps to the 0.01 grid only when snapping is on', () => {
    const d = new EditorTestDriver();
    expect(d.editor.getSnapshot().snapping).toBe(false);
    d.click(d.at(0.1234, 0.4567));
    expect(d.path.points[0].x).toBeCloseTo(0.1234, 6);
    d.key('S');
    d.click(d.at(0.3456, 0.7891));
    expect(d.path.points[1]).toMatchObject({ x: 0.35, y: 0.79 });
  });

  it('loads another sample with a fresh history', () => {
    const d = new EditorTestDriver();
    d.click(d.at(0.5, 0.5));
    d.editor.load(path([0.1, 0.2]), { width: 1000, height: 500 });
    expect(d.editor.history.canUndo).toBe(false);
    expect(rounded(d.path)).toEqual([[0.1, 0.2, 'open']]);
  });

  it('notifies subscribers with a new snapshot per change', () => {
    const d = new EditorTestDriver();
    const listener = vi.fn();
    d.editor.subscribe(listener);
    const before = d.editor.getSnapshot();
    d.click(d.at(0.5, 0.5));
    expect(listener).toHaveBeenCalled();
    const after = d.editor.getSnapshot();
    expect(after).not.toBe(before);
    expect(after.path.points).toHaveLength(1);
    expect(d.editor.getSnapshot()).toBe(after);
  });
});

describe('Editor: view', () => {
  it('fits the image with a margin and converts between spaces', () => {
    const d = new EditorTestDriver();
    expect(d.editor.view).toEqual({ scale: 1, offsetX: 16, offsetY: 16 });
    expect(d.at(0.5, 0.5)).toEqual({ x: 516, y: 266 });
  });

  it('zooms to the cursor with the wheel: the image point under it stays put', () => {
    const d = new EditorTestDriver();
    const cursor = d.at(0.2, 0.3);
    d.editor.wheel({ x: cursor.x, y: cursor.y, deltaX: 0, deltaY: -100, deltaMode: 0, ctrlKey: false });
    expect(d.editor.view.scale).toBeGreaterThan(1);
    expect(d.at(0.2, 0.3).x).toBeCloseTo(cursor.x, 6);
    expect(d.at(0.2, 0.3).y).toBeCloseTo(cursor.y, 6);
  });

  it('pans on a trackpad two-finger scroll instead of zooming', () => {
    const d = new EditorTestDriver();
    d.editor.wheel({ x: 100, y: 100, deltaX: 12.5, deltaY: 3, deltaMode: 0, ctrlKey: false });
    expect(d.editor.view).toEqual({ scale: 1, offsetX: 3.5, offsetY: 13 });
  });

  it('zooms with +/-, fits with 0 and shows 1:1 with 1', () => {
    const d = new EditorTestDriver();
    d.key('+');
    expect(d.editor.view.scale).toBeCloseTo(1.25);
    d.key('-');
    d.key('-');
    expect(d.editor.view.scale).toBeCloseTo(0.8);
    d.key('1');
    expect(d.editor.view.scale).toBe(1);
    d.key('=');
    d.key('0');
    expect(d.editor.view).toEqual({ scale: 1, offsetX: 16, offsetY: 16 });
  });

  it('pans with the middle button and with space held, never touching the path', () => {
    const d = new EditorTestDriver({ path: path([0.5, 0.5]) });
    d.drag({ x: 100, y: 100 }, { x: 150, y: 120 }, { button: 1 });
    expect(d.editor.view.offsetX).toBe(66);
    d.editor.setSpaceHeld(true);
    expect(d.editor.getSnapshot().cursor).toBe('grab');
    // Even a drag that starts on a point pans while space is held.
    d.drag(d.at(0.5, 0.5), { x: d.at(0.5, 0.5).x - 66, y: d.at(0.5, 0.5).y - 20 });
    expect(d.editor.view).toEqual({ scale: 1, offsetX: 0, offsetY: 16 });
    expect(rounded(d.path)).toEqual([[0.5, 0.5, 'open']]);
    expect(d.editor.history.canUndo).toBe(false);
  });

  it('turns two fingers into a pinch that zooms about their midpoint and cancels the first finger’s stroke', () => {
    const d = new EditorTestDriver();
    const touch = { pointerType: 'touch' as const };
    d.pointerDown({ x: 400, y: 250 }, { ...touch, pointerId: 1 });
    d.pointerMove({ x: 420, y: 250 }, { ...touch, pointerId: 1 });
    d.pointerDown({ x: 600, y: 250 }, { ...touch, pointerId: 2 });
    expect(d.editor.toolState).toBe('pinching');
    const midpointImage = d.editor.screenToPathPoint({ x: 510, y: 250 });
    d.pointerMove({ x: 700, y: 250 }, { ...touch, pointerId: 2 });
    // Spread went from 180 to 280 px; the midpoint moved from 510 to 560.
    expect(d.editor.view.scale).toBeCloseTo(280 / 180);
    d.pointerUp({ x: 700, y: 250 }, { ...touch, pointerId: 2 });
    d.pointerUp({ x: 420, y: 250 }, { ...touch, pointerId: 1 });
    expect(d.editor.toolState).toBe('idle');
    expect(d.path.points).toEqual([]);
    const nowUnderMidpoint = d.editor.screenToPathPoint({ x: 560, y: 250 });
    expect(nowUnderMidpoint.x).toBeCloseTo(midpointImage.x, 6);
  });

  it('uses larger hit targets for touch than for the mouse', () => {
    const d = new EditorTestDriver({ path: path([0.5, 0.5]) });
    const near = { x: d.at(0.5, 0.5).x + 15, y: d.at(0.5, 0.5).y };
    expect(d.editor.hitPoint({ ...near, pointerId: 1, pointerType: 'mouse', button: 0 })).toBeNull();
    expect(d.editor.hitPoint({ ...near, pointerId: 1, pointerType: 'touch', button: 0 })).toBe(0);
  });
});
