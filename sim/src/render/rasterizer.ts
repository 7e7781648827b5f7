/**
 * Software renderer: a z-buffer rasterizer of MuJoCo's primitive geoms (there is no GPU here, and
 * no maintained Node package renders MuJoCo scenes without one). Flat Lambert shading, no
 * anti-aliasing. Produces RGB, metric depth (z along the optical axis) and a geom-id segmentation.
 * Pixel (i, j) samples the point u = i, v = j: pixel centres at integer coordinates, as OpenCV.
 */
import { GeomType, type GeomInfo } from '../physics.ts';
import type { LookSpec } from '../scene/types.ts';
import type { CameraModel } from './camera.ts';
import { primitiveMesh, type Mesh } from './meshes.ts';

export interface Frame {
  width: number;
  height: number;
  /** RGB, 3 bytes per pixel, row-major from the top-left. */
  rgb: Uint8Array;
  /** Depth in metres along the optical axis; 0 where nothing was drawn. */
  depth: Float32Array;
  /** Geom id per pixel; -1 for background. */
  segmentation: Int16Array;
}

const NEAR = 0.05;

export class Rasterizer {
  private readonly meshes: (Mesh | null)[];
  private readonly frame: Frame;
  private readonly zbuf: Float32Array;
  private camVerts = new Float32Array(0);
  private screen = new Float32Array(0);

  /** `geoms` come from Physics; `skip(g)` hides geoms (e.g. the floor, invisible ones). */
  constructor(private readonly geoms: readonly GeomInfo[], readonly width: number, readonly height: number, skip: (g: GeomInfo) => boolean = () => false) {
    this.meshes = geoms.map((g) => (g.rgba[3] <= 0 || skip(g) ? null : primitiveMesh(g.type, g.size)));
    const n = width * height;
    this.frame = { width, height, rgb: new Uint8Array(n * 3), depth: new Float32Array(n), segmentation: new Int16Array(n) };
    this.zbuf = new Float32Array(n);
  }

  /** Renders the geoms at the given world poses (MuJoCo geom_xpos / geom_xmat). The returned buffers are reused. */
  render(camera: CameraModel, look: LookSpec, xpos: ArrayLike<number>, xmat: ArrayLike<number>): Frame {
    if (camera.width !== this.width || camera.height !== this.height) throw new Error('camera size differs from the rasterizer size');
    const { rgb, depth, segmentation } = this.frame;
    const W = this.width, H = this.height;
    const bg = look.backgroundRgb.map((c) => Math.round(c * 255));
    for (let i = 0; i < W * H; i++) { rgb[3 * i] = bg[0]; rgb[3 * i + 1] = bg[1]; rgb[3 * i + 2] = bg[2]; }
    this.zbuf.fill(Infinity);
    segmentation.fill(-1);

    const R = camera.rotation, T = camera.translation;
    const { fx, fy, cx, cy } = camera;
    // Light direction (the way light travels) in camera coordinates, normalised.
    const L = look.lightDir;
    const ln = Math.hypot(L[0], L[1], L[2]) || 1;
    const lc = [0, 1, 2].map((r) => (R[3 * r] * L[0] + R[3 * r + 1] * L[1] + R[3 * r + 2] * L[2]) / ln);

    for (let g = 0; g < this.geoms.length; g++) {
      const mesh = this.meshes[g];
      if (!mesh) continue;
      // Compose world-to-camera with the geom pose: x_cam = M · x_local + t.
      const m = new Array<number>(9);
      for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) {
        m[3 * r + c] = R[3 * r] * xmat[9 * g + c] + R[3 * r + 1] * xmat[9 * g + 3 + c] + R[3 * r + 2] * xmat[9 * g + 6 + c];
      }
      const px = xpos[3 * g], py = xpos[3 * g + 1], pz = xpos[3 * g + 2];
      const t = [0, 1, 2].map((r) => R[3 * r] * px + R[3 * r + 1] * py + R[3 * r + 2] * pz + T[r]);
      // A point inside the shape, to orient faces outward (planes: below the surface).
      const inside = this.geoms[g].type === GeomType.plane ? [t[0] - m[2], t[1] - m[5], t[2] - m[8]] : t;

      const nv = mesh.vertices.length / 3;
      if (this.camVerts.length < nv * 3) { this.camVerts = new Float32Array(nv * 3); this.screen = new Float32Array(nv * 2); }
      const cv = this.camVerts, sc = this.screen, v = mesh.vertices;
      for (let i = 0; i < nv; i++) {
        const x = v[3 * i], y = v[3 * i + 1], z = v[3 * i + 2];
        const X = m[0] * x + m[1] * y + m[2] * z + t[0];
        const Y = m[3] * x + m[4] * y + m[5] * z + t[1];
        const Z = m[6] * x + m[7] * y + m[8] * z + t[2];
        cv[3 * i] = X; cv[3 * i + 1] = Y; cv[3 * i + 2] = Z;
        sc[2 * i] = (fx * X) / Z + cx; sc[2 * i + 1] = (fy * Y) / Z + cy;
      }
      const [cr, cg, cb] = this.geoms[g].rgba;
      const tris = mesh.triangles;
      for (let k = 0; k < tris.length; k += 3) {
        const a = tris[k], b = tris[k + 1], c = tris[k + 2];
        const az = cv[3 * a + 2], bz = cv[3 * b + 2], cz = cv[3 * c + 2];
        if (az < NEAR || bz < NEAR || cz < NEAR) continue;
        const ax = cv[3 * a], ay = cv[3 * a + 1];
        const e1x = cv[3 * b] - ax, e1y = cv[3 * b + 1] - ay, e1z = bz - az;
        const e2x = cv[3 * c] - ax, e2y = cv[3 * c + 1] - ay, e2z = cz - az;
        let nx = e1y * e2z - e1z * e2y, ny = e1z * e2x - e1x * e2z, nz = e1x * e2y - e1y * e2x;
        // Outward: away from the inside point.
        if (nx * (ax - inside[0]) + ny * (ay - inside[1]) + nz * (az - inside[2]) < 0) { nx = -nx; ny = -ny; nz = -nz; }
        // Back-face: normal pointing away from the camera (at the origin).
        if (nx * ax + ny * ay + nz * az >= 0) continue;
        const nl = Math.hypot(nx, ny, nz) || 1;
        const lambert = Math.max(0, -(nx * lc[0] + ny * lc[1] + nz * lc[2]) / nl);
        const shade = look.ambient + look.diffuse * lambert;
        const r8 = Math.min(255, cr * shade * 255), g8 = Math.min(255, cg * shade * 255), b8 = Math.min(255, cb * shade * 255);
        this.fill(sc[2 * a], sc[2 * a + 1], 1 / az, sc[2 * b], sc[2 * b + 1], 1 / bz, sc[2 * c], sc[2 * c + 1], 1 / cz, r8, g8, b8, g);
      }
    }
    for (let i = 0; i < W * H; i++) depth[i] = this.zbuf[i] === Infinity ? 0 : this.zbuf[i];
    return this.frame;
  }

  /** Scan-converts one triangle with perspective-correct depth (1/z is linear in screen space). */
  private fill(x0: number, y0: number, w0: number, x1: number, y1: number, w1: number, x2: number, y2: number, w2: number, r: number, g: number, b: number, id: number): void {
    const area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
    if (Math.abs(area) < 1e-9) return;
    const W = this.width, H = this.height;
    const minX = Math.max(0, Math.ceil(Math.min(x0, x1, x2))), maxX = Math.min(W - 1, Math.floor(Math.max(x0, x1, x2)));
    const minY = Math.max(0, Math.ceil(Math.min(y0, y1, y2))), maxY = Math.min(H - 1, Math.floor(Math.max(y0, y1, y2)));
    if (minX > maxX || minY > maxY) return;
    const inv = 1 / area;
    const { rgb, segmentation } = this.frame;
    const zbuf = this.zbuf;
    for (let py = minY; py <= maxY; py++) {
      for (let px = minX; px <= maxX; px++) {
        // Barycentric weights of (px, py).
        const l0 = ((x1 - px) * (y2 - py) - (x2 - px) * (y1 - py)) * inv;
        const l1 = ((x2 - px) * (y0 - py) - (x0 - px) * (y2 - py)) * inv;
        const l2 = 1 - l0 - l1;
        if (l0 < 0 || l1 < 0 || l2 < 0) continue;
        const z = 1 / (l0 * w0 + l1 * w1 + l2 * w2);
        const idx = py * W + px;
        if (z >= zbuf[idx]) continue;
        zbuf[idx] = z;
        rgb[3 * idx] = r; rgb[3 * idx + 1] = g; rgb[3 * idx + 2] = b;
        segmentation[idx] = id;
      }
    }
  }
}
