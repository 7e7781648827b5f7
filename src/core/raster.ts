/**
 * Pixel-exact ports of the OpenCV 4.x rasterizers that HAMSTER's drawing code relies on
 * (`cv2.line` and `cv2.circle` with the default LINE_8, no anti-aliasing), over an RGBA buffer.
 *
 * The structure follows OpenCV's imgproc/drawing.cpp on purpose: thick lines are a filled
 * quadrilateral in 16.16 fixed point plus round caps drawn as filled integer circles; hollow thick
 * circles are a polygon of table-sine vertices drawn as a chain of thick lines. Matching the
 * fixed-point arithmetic (arithmetic shifts, truncating integer division, round-half-even) is what
 * makes the pixels identical, so the arithmetic is kept literal rather than "simplified".
 * All intermediate values stay far below 2^53, so plain JS numbers are exact.
 */

/** An RGBA image, row-major, 4 bytes per pixel (the shape of the DOM's ImageData). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** An opaque colour as [r, g, b], each 0–255. */
export type Rgb = readonly [number, number, number];

const XY_SHIFT = 16;
const XY_ONE = 1 << XY_SHIFT;
const HALF = XY_ONE >> 1;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A new opaque image filled with one colour (black by default). */
export function createRgbaImage(width: number, height: number, fill: Rgb = [0, 0, 0]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  // One 32-bit store per pixel: four times fewer writes than byte by byte.
  const [r, g, b] = fill;
  const packed = LITTLE_ENDIAN ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
  new Uint32Array(data.buffer).fill(packed);
  return { width, height, data };
}

/** `v >> XY_SHIFT` on a 64-bit integer (an arithmetic shift floors, also for negatives). */
const fixedToInt = (v: number): number => Math.floor(v / XY_ONE);

/** C integer division (truncates toward zero). */
const idiv = (a: number, b: number): number => Math.trunc(a / b);

/** OpenCV's cvRound: round half to even (the FPU's default mode). */
export function cvRound(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function putPixel(img: RgbaImage, x: number, y: number, c: Rgb): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const i = (y * img.width + x) * 4;
  img.data[i] = c[0];
  img.data[i + 1] = c[1];
  img.data[i + 2] = c[2];
  img.data[i + 3] = 255;
}

/** Horizontal run x1..x2 inclusive on row y, clipped to the image. */
function hline(img: RgbaImage, y: number, x1: number, x2: number, c: Rgb): void {
  if (y < 0 || y >= img.height) return;
  const from = Math.max(x1, 0);
  const to = Math.min(x2, img.width - 1);
  const d = img.data;
  for (let i = (y * img.width + from) * 4, end = (y * img.width + to) * 4; i <= end; i += 4) {
    d[i] = c[0];
    d[i + 1] = c[1];
    d[i + 2] = c[2];
    d[i + 3] = 255;
  }
}

/**
 * Cohen–Sutherland clipping to [0, w-1] x [0, h-1] exactly as OpenCV's clipLine (integer division).
 * Returns the clipped endpoints, or null when the segment misses the rectangle.
 */
function clipLine(w: number, h: number, p: [number, number, number, number]): [number, number, number, number] | null {
  if (w <= 0 || h <= 0) return null;
  const right = w - 1;
  const bottom = h - 1;
  let [x1, y1, x2, y2] = p;
  const code = (x: number, y: number) => (x < 0 ? 1 : 0) + (x > right ? 2 : 0) + (y < 0 ? 4 : 0) + (y > bottom ? 8 : 0);
  let c1 = code(x1, y1);
  let c2 = code(x2, y2);
  if ((c1 & c2) === 0 && (c1 | c2) !== 0) {
    if (c1 & 12) {
      const a = c1 < 8 ? 0 : bottom;
      x1 += idiv((a - y1) * (x2 - x1), y2 - y1);
      y1 = a;
      c1 = (x1 < 0 ? 1 : 0) + (x1 > right ? 2 : 0);
    }
    if (c2 & 12) {
      const a = c2 < 8 ? 0 : bottom;
      x2 += idiv((a - y2) * (x2 - x1), y2 - y1);
      y2 = a;
      c2 = (x2 < 0 ? 1 : 0) + (x2 > right ? 2 : 0);
    }
    if ((c1 & c2) === 0 && (c1 | c2) !== 0) {
      if (c1) {
        const a = c1 === 1 ? 0 : right;
        y1 += idiv((a - x1) * (y2 - y1), x2 - x1);
        x1 = a;
        c1 = 0;
      }
      if (c2) {
        const a = c2 === 1 ? 0 : right;
        y2 += idiv((a - x2) * (y2 - y1), x2 - x1);
        x2 = a;
        c2 = 0;
      }
    }
  }
  return (c1 | c2) === 0 ? [x1, y1, x2, y2] : null;
}

/** 8-connected Bresenham line between integer points (OpenCV's `Line` via LineIterator, left to right). */
export function line8(img: RgbaImage, x1: number, y1: number, x2: number, y2: number, c: Rgb): void {
  if (x1 < 0 || x2 < 0 || y1 < 0 || y2 < 0 || x1 >= img.width || x2 >= img.width || y1 >= img.height || y2 >= img.height) {
    const clipped = clipLine(img.width, img.height, [x1, y1, x2, y2]);
    if (!clipped) return;
    [x1, y1, x2, y2] = clipped;
  }
  let dx = x2 - x1;
  let dy = y2 - y1;
  if (dx < 0) {
    // left_to_right: always start from the left endpoint
    dx = -dx;
    dy = -dy;
    x1 = x2;
    y1 = y2;
  }
  const ySign = dy < 0 ? -1 : 1;
  dy = Math.abs(dy);
  const steep = dy > dx;
  const major = steep ? dy : dx;
  const minor = steep ? dx : dy;
  let err = major - 2 * minor;
  let x = x1;
  let y = y1;
  for (let i = 0; i <= major; i++) {
    putPixel(img, x, y, c);
    const stepMinor = err < 0;
    err += -2 * minor + (stepMinor ? 2 * major : 0);
    if (steep) {
      y += ySign;
      if (stepMinor) x += 1;
    } else {
      x += 1;
      if (stepMinor) y += ySign;
    }
  }
}

/** Thin line between 16.16 fixed-point endpoints (OpenCV's `Line2`). */
function line2(img: RgbaImage, x1: number, y1: number, x2: number, y2: number, c: Rgb): void {
  const maxX = img.width * XY_ONE;
  const maxY = img.height * XY_ONE;
  if (x1 < 0 || x2 < 0 || y1 < 0 || y2 < 0 || x1 >= maxX || x2 >= maxX || y1 >= maxY || y2 >= maxY) {
    const clipped = clipLine(maxX, maxY, [x1, y1, x2, y2]);
    if (!clipped) return;
    [x1, y1, x2, y2] = clipped;
  }
  let dx = x2 - x1;
  let dy = y2 - y1;
  const ax = Math.abs(dx);
  const ay = Math.abs(dy);
  const oddDivisor = (v: number) => (v % 2 === 0 ? v + 1 : v); // C's `v | 1`
  let xStep: number;
  let yStep: number;
  let ecount: number;
  if (ax > ay) {
    if (dx < 0) {
      [x1, x2] = [x2, x1];
      [y1, y2] = [y2, y1];
      dy = -dy;
    }
    xStep = XY_ONE;
    yStep = idiv(dy * XY_ONE, oddDivisor(ax));
    ecount = fixedToInt(x2 - x1);
  } else {
    if (dy < 0) {
      [x1, x2] = [x2, x1];
      [y1, y2] = [y2, y1];
      dx = -dx;
    }
    xStep = idiv(dx * XY_ONE, oddDivisor(ay));
    yStep = XY_ONE;
    ecount = fixedToInt(y2 - y1);
  }
  x1 += HALF;
  y1 += HALF;
  putPixel(img, fixedToInt(x2 + HALF), fixedToInt(y2 + HALF), c);
  if (ax > ay) {
    let x = fixedToInt(x1);
    for (; ecount >= 0; ecount--, x++, y1 += yStep) putPixel(img, x, fixedToInt(y1), c);
  } else {
    let y = fixedToInt(y1);
    for (; ecount >= 0; ecount--, y++, x1 += xStep) putPixel(img, fixedToInt(x1), y, c);
  }
}

/** Filled convex polygon with 16.16 fixed-point vertices (OpenCV's `FillConvexPoly`, LINE_8). */
function fillConvexPoly(img: RgbaImage, xs: readonly number[], ys: readonly number[], c: Rgb): void {
  const n = xs.length;
  let imin = 0;
  let xmin = xs[0];
  let xmax = xs[0];
  let ymin = ys[0];
  let ymax = ys[0];
  let p0x = xs[n - 1];
  let p0y = ys[n - 1];
  for (let i = 0; i < n; i++) {
    if (ys[i] < ymin) {
      ymin = ys[i];
      imin = i;
    }
    ymax = Math.max(ymax, ys[i]);
    xmax = Math.max(xmax, xs[i]);
    xmin = Math.min(xmin, xs[i]);
    line2(img, p0x, p0y, xs[i], ys[i], c); // the outline, so thin slivers still get pixels
    p0x = xs[i];
    p0y = ys[i];
  }
  xmin = fixedToInt(xmin + HALF);
  xmax = fixedToInt(xmax + HALF);
  ymin = fixedToInt(ymin + HALF);
  ymax = fixedToInt(ymax + HALF);
  if (n < 3 || xmax < 0 || ymax < 0 || xmin >= img.width || ymin >= img.height) return;
  ymax = Math.min(ymax, img.height - 1);

  // Two edge walkers go round the polygon from the top vertex, one each way.
  const idx = [imin, imin];
  const di = [1, n - 1];
  const ex = [-XY_ONE, -XY_ONE];
  const edx = [0, 0];
  const ye = [ymin, ymin];
  let edgesLeft = n;
  let y = ymin;
  do {
    for (let i = 0; i < 2; i++) {
      if (y < ye[i]) continue;
      let idx0 = idx[i];
      let next = idx0 + di[i];
      if (next >= n) next -= n;
      while (edgesLeft-- > 0) {
        const ty = fixedToInt(ys[next] + HALF);
        if (ty > y) {
          const xs0 = xs[idx0];
          const xe = xs[next];
          ye[i] = ty;
          edx[i] = idiv((xe - xs0) * 2 + (ty - y), 2 * (ty - y));
          ex[i] = xs0;
          idx[i] = next;
          break;
        }
        idx0 = next;
        next += di[i];
        if (next >= n) next -= n;
      }
    }
    if (edgesLeft < 0) break;
    if (y >= 0) {
      const [left, right] = ex[0] > ex[1] ? [1, 0] : [0, 1];
      const xx1 = fixedToInt(ex[left] + HALF);
      const xx2 = fixedToInt(ex[right] + HALF);
      if (xx2 >= 0 && xx1 < img.width) hline(img, y, xx1, xx2, c);
    }
    ex[0] += edx[0];
    ex[1] += edx[1];
  } while (++y <= ymax);
}

/** OpenCV's integer midpoint circle (`Circle`): filled disc or 1-pixel ring. */
function integerCircle(img: RgbaImage, cx: number, cy: number, radius: number, c: Rgb, fill: boolean): void {
  let err = 0;
  let dx = radius;
  let dy = 0;
  let plus = 1;
  let minus = radius * 2 - 1;
  while (dx >= dy) {
    const y11 = cy - dy;
    const y12 = cy + dy;
    const y21 = cy - dx;
    const y22 = cy + dx;
    const x11 = cx - dx;
    const x12 = cx + dx;
    const x21 = cx - dy;
    const x22 = cx + dy;
    if (fill) {
      hline(img, y11, x11, x12, c);
      hline(img, y12, x11, x12, c);
      hline(img, y21, x21, x22, c);
      hline(img, y22, x21, x22, c);
    } else {
      for (const [x, y] of [[x11, y11], [x11, y12], [x12, y11], [x12, y12], [x21, y21], [x21, y22], [x22, y21], [x22, y22]]) {
        putPixel(img, x, y, c);
      }
    }
    dy++;
    err += plus;
    plus += 2;
    const mask = err <= 0 ? 0 : -1;
    err -= minus & mask;
    dx += mask;
    minus -= mask & 2;
  }
}

/**
 * OpenCV's `ThickLine` for LINE_8 between 16.16 fixed-point endpoints. `caps` is OpenCV's flags
 * bitmask: 1 = round cap at p0, 2 = round cap at p1.
 */
function thickLineFixed(img: RgbaImage, p0x: number, p0y: number, p1x: number, p1y: number, c: Rgb, thickness: number, caps: number): void {
  if (thickness <= 1) {
    line2(img, p0x, p0y, p1x, p1y, c);
    return;
  }
  const dx = (p0x - p1x) / XY_ONE;
  const dy = (p1y - p0y) / XY_ONE;
  const lengthSq = dx * dx + dy * dy;
  const oddThickness = thickness & 1;
  const halfThickness = thickness * (XY_ONE / 2); // thickness << (XY_SHIFT - 1)
  if (Math.abs(lengthSq) > Number.EPSILON) {
    const r = (halfThickness + oddThickness * XY_ONE * 0.5) / Math.sqrt(lengthSq);
    const dpx = cvRound(dy * r);
    const dpy = cvRound(dx * r);
    fillConvexPoly(
      img,
      [p0x + dpx, p0x - dpx, p1x - dpx, p1x + dpx],
      [p0y + dpy, p0y - dpy, p1y - dpy, p1y + dpy],
      c,
    );
  }
  const capRadius = fixedToInt(halfThickness + HALF);
  if (caps & 1) integerCircle(img, fixedToInt(p0x + HALF), fixedToInt(p0y + HALF), capRadius, c, true);
  if (caps & 2) integerCircle(img, fixedToInt(p1x + HALF), fixedToInt(p1y + HALF), capRadius, c, true);
}

/**
 * `cv2.line(img, (x0, y0), (x1, y1), color, thickness)` with integer endpoints and LINE_8:
 * thickness 1 is an 8-connected Bresenham line; thicker lines get round caps.
 */
export function drawLine(img: RgbaImage, x0: number, y0: number, x1: number, y1: number, c: Rgb, thickness = 1): void {
  if (thickness <= 1) {
    line8(img, x0, y0, x1, y1, c);
    return;
  }
  thickLineFixed(img, x0 * XY_ONE, y0 * XY_ONE, x1 * XY_ONE, y1 * XY_ONE, c, thickness, 3);
}

/** OpenCV's SinTable: sin of whole degrees 0..450, rounded to 7 decimals, stored as float32. */
const SIN_TABLE: Float32Array = (() => {
  const table = new Float32Array(451);
  for (let deg = 0; deg <= 450; deg++) table[deg] = Number(Math.sin((deg * Math.PI) / 180).toFixed(7));
  return table;
})();

/**
 * `cv2.circle(img, (cx, cy), radius, color, thickness)` with LINE_8. Thickness 1 uses the integer
 * midpoint ring; thicker rings are OpenCV's polygon approximation (vertices every 90/30/18/5
 * degrees depending on the radius) drawn as thick lines; thickness < 0 fills the disc.
 */
export function drawCircle(img: RgbaImage, cx: number, cy: number, radius: number, c: Rgb, thickness = 1): void {
  if (thickness <= 1) {
    integerCircle(img, cx, cy, radius, c, thickness < 0);
    return;
  }
  // EllipseEx + ellipse2Poly for a full 0..360 arc, angle 0, in 16.16 fixed point.
  const centerX = cx * XY_ONE;
  const centerY = cy * XY_ONE;
  const axis = radius * XY_ONE;
  const r = fixedToInt(axis + HALF);
  const stepDeg = r < 3 ? 90 : r < 10 ? 30 : r < 15 ? 18 : 5;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let deg = 0; deg < 360 + stepDeg; deg += stepDeg) {
    const a = Math.min(deg, 360);
    const vx = centerX + axis * SIN_TABLE[450 - a];
    const vy = centerY + axis * SIN_TABLE[a];
    let px = cvRound(vx / XY_ONE) * XY_ONE;
    let py = cvRound(vy / XY_ONE) * XY_ONE;
    px += cvRound(vx - px);
    py += cvRound(vy - py);
    if (xs.length === 0 || px !== xs[xs.length - 1] || py !== ys[ys.length - 1]) {
      xs.push(px);
      ys.push(py);
    }
  }
  if (xs.length === 1) {
    xs.push(centerX);
    ys.push(centerY);
    xs[0] = centerX;
    ys[0] = centerY;
  }
  // PolyLine, open: the first edge gets both caps, the following ones only their end cap.
  for (let i = 1; i < xs.length; i++) {
    thickLineFixed(img, xs[i - 1], ys[i - 1], xs[i], ys[i], c, thickness, i === 1 ? 3 : 2);
  }
}
