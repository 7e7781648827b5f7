import { describe, expect, it } from 'vitest';
import { decodeBestPalm, handRectFromLandmarks, handRectFromPalm, LANDMARK_INPUT, landmarksToImage, letterbox, PALM_INPUT, palmAnchors } from './handGraph';

describe("MediaPipe Hands' graph around its models", () => {
  it('lays out the palm detector anchors as MediaPipe does: 24² cells × 2, then 12² × 6', () => {
    const a = palmAnchors();
    expect(a.length).toBe(2 * 2016);
    const at = (i: number) => [a[2 * i], a[2 * i + 1]];
    const f = Math.fround;
    expect(at(0)).toEqual([f(0.5 / 24), f(0.5 / 24)]);
    expect(at(1)).toEqual(at(0)); // two anchors per cell
    expect(at(2)).toEqual([f(1.5 / 24), f(0.5 / 24)]);
    expect(at(1152)).toEqual([f(0.5 / 12), f(0.5 / 12)]);
    expect(at(1157)).toEqual(at(1152)); // six per cell
    expect(at(2015)).toEqual([f(11.5 / 12), f(11.5 / 12)]);
  });

  it('decodes the most confident palm into image pixels through the letterbox, averaging the boxes that overlap it', () => {
    const anchors = palmAnchors();
    const boxes = new Float32Array(2016 * 18);
    const scores = new Float32Array(2016).fill(-10);
    // Anchor 1152 sits at (1/24, 1/24) of the square; move the box to its centre (0.5, 0.5).
    const put = (i: number, logit: number, dx: number) => {
      const o = i * 18;
      boxes[o] = (0.5 - anchors[2 * i] + dx) * PALM_INPUT;
      boxes[o + 1] = (0.5 - anchors[2 * i + 1]) * PALM_INPUT;
      boxes[o + 2] = boxes[o + 3] = 0.2 * PALM_INPUT;
      scores[i] = logit;
    };
    put(1152, 4, 0);
    put(1153, 2, 0.02); // overlaps: pulled in, weighted by score
    put(0, 1, 0.45); // far away: not
    const palm = decodeBestPalm(boxes, scores, anchors, 960, 540)!;
    const { side, offsetY } = letterbox(960, 540);
    expect(side).toBe(960);
    expect(offsetY).toBe(210);
    expect(palm.score).toBeCloseTo(1 / (1 + Math.exp(-4)));
    const s1 = 1 / (1 + Math.exp(-4));
    const s2 = 1 / (1 + Math.exp(-2));
    expect(palm.cx).toBeCloseTo(480 + (s2 * 0.02 * 960) / (s1 + s2), 3);
    expect(palm.cy).toBeCloseTo(270, 3);
    expect(palm.width).toBeCloseTo(192, 3);
    expect(decodeBestPalm(boxes, new Float32Array(2016).fill(-10), anchors, 960, 540)).toBeNull();
  });

  it('crops an upright palm with no turn, moved up towards the fingers, 2.6 × its size', () => {
    const palm = { score: 1, cx: 400, cy: 300, width: 100, height: 100, keypoints: [{ x: 400, y: 350 }, { x: 0, y: 0 }, { x: 400, y: 250 }] };
    const rect = handRectFromPalm(palm);
    expect(rect.rotation).toBeCloseTo(0);
    expect(rect.cx).toBeCloseTo(400);
    expect(rect.cy).toBeCloseTo(250);
    expect(rect.width).toBeCloseTo(260);
  });

  it('maps crop landmarks back through a turned crop, and frames the next crop around them', () => {
    const rect = { cx: 500, cy: 300, width: 200, height: 200, rotation: Math.PI / 2 };
    // The crop's centre, and a point a quarter of the crop to its right, which the quarter turn puts below the centre.
    const raw = Float32Array.from([LANDMARK_INPUT / 2, LANDMARK_INPUT / 2, 0, LANDMARK_INPUT * 0.75, LANDMARK_INPUT / 2, 0]);
    const [c, right] = landmarksToImage(raw, rect);
    expect(c.x).toBeCloseTo(500);
    expect(c.y).toBeCloseTo(300);
    expect(right.x).toBeCloseTo(500);
    expect(right.y).toBeCloseTo(350);

    // An upright hand: wrist below, knuckles above; the next crop is upright and centred on it.
    const hand = Array.from({ length: 21 }, (_, i) => ({ x: 300 + (i % 4) * 10, y: 400 - Math.floor(i / 4) * 20 }));
    hand[0] = { x: 315, y: 420 };
    hand[5] = hand[9] = hand[13] = { x: 315, y: 320 };
    const next = handRectFromLandmarks(hand);
    expect(next.rotation).toBeCloseTo(0);
    expect(next.width).toBe(next.height);
  });
});
