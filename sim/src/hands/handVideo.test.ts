import { describe, expect, it } from 'vitest';
import { graspPointOf, handJointsImage } from './handModel';
import { renderHandFrame } from './handRenderer';
import { E2E_HAND_VIDEO, handPoseAt, handVideoTruth } from './handVideo';

describe('the rendered hand video', () => {
  it('pinches and lets go inside its ramps, with the thresholds crossed once each way', () => {
    const spec = E2E_HAND_VIDEO;
    const truth = handVideoTruth(spec);
    expect(truth.closeFrame).toBeGreaterThan(spec.closeStart);
    expect(truth.closeFrame).toBeLessThan(spec.closeStart + spec.ramp);
    expect(truth.openFrame).toBeGreaterThan(spec.openStart);
    expect(truth.openFrame).toBeLessThan(spec.openStart + spec.ramp);
    expect(truth.aperture[0]).toBeGreaterThan(1);
    expect(Math.min(...truth.aperture)).toBeLessThan(0.15);
  });

  it('draws skin at the grasp point of a pinch and the table far from the hand', () => {
    const pose = handPoseAt(E2E_HAND_VIDEO, 28);
    const frame = renderHandFrame(pose, E2E_HAND_VIDEO.width, E2E_HAND_VIDEO.height);
    const [x, y] = graspPointOf(handJointsImage(pose));
    const rgb = (px: number, py: number) => { const o = (Math.round(py) * frame.width + Math.round(px)) * 3; return [...frame.data.subarray(o, o + 3)]; };
    const [r, g, b] = rgb(x, y);
    expect(r).toBeGreaterThan(b + 30); // skin is warm
    const [tr, , tb] = rgb(20, frame.height - 20);
    expect(tb).toBeGreaterThanOrEqual(tr); // the table is cool grey
    expect(g).toBeGreaterThan(0);
  });
});
