/**
 * What the studio reads from MediaPipe Hands' 21 landmarks (0 wrist, 4 thumb tip, 8 index tip,
 * 9 middle-finger knuckle; coordinates normalised to the image): the grasp point and the
 * thumb–index aperture.
 */
export interface HandLandmark {
  x: number;
  y: number;
}

export const WRIST = 0;
export const THUMB_TIP = 4;
export const INDEX_TIP = 8;
export const MIDDLE_KNUCKLE = 9;

const at = (landmarks: readonly HandLandmark[], i: number, width: number, height: number): [number, number] => {
  const p = landmarks[i];
  if (!p) throw new RangeError(`hand landmark ${i} is missing (got ${landmarks.length} of 21)`);
  return [p.x * width, p.y * height];
};

/** Midway between the thumb tip and the index tip, in pixels: where a pinch grasp holds. */
export function graspPoint(landmarks: readonly HandLandmark[], width: number, height: number): { x: number; y: number } {
  const [tx, ty] = at(landmarks, THUMB_TIP, width, height);
  const [ix, iy] = at(landmarks, INDEX_TIP, width, height);
  return { x: (tx + ix) / 2, y: (ty + iy) / 2 };
}

/**
 * Thumb tip to index tip over wrist to middle knuckle (the palm's length, which a pinch does not
 * change), so the figure does not depend on how far the hand is from the camera: ≈ 1.2 for an open
 * hand, ≈ 0.1–0.25 for a pinch. Pixels, not normalised units, so a wide image is not squeezed.
 */
export function pinchAperture(landmarks: readonly HandLandmark[], width: number, height: number): number {
  const [tx, ty] = at(landmarks, THUMB_TIP, width, height);
  const [ix, iy] = at(landmarks, INDEX_TIP, width, height);
  const [wx, wy] = at(landmarks, WRIST, width, height);
  const [mx, my] = at(landmarks, MIDDLE_KNUCKLE, width, height);
  const palm = Math.hypot(mx - wx, my - wy);
  return palm > 1e-6 ? Math.hypot(tx - ix, ty - iy) / palm : Number.POSITIVE_INFINITY;
}
