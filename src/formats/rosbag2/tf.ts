/**
 * A small TF buffer: the transforms of `/tf` and `/tf_static` (tf2_msgs/TFMessage, ROS 1's
 * tf/tfMessage) by child frame, sampled at a time with the last transform at or before it.
 * Written here rather than taken from a library: Foxglove's TF code is not published as a
 * package, and the studio needs only lookups along one chain.
 */

export interface Rigid {
  t: [number, number, number];
  /** Unit quaternion x, y, z, w. */
  q: [number, number, number, number];
}

interface Stamped extends Rigid { timeNs: bigint }

export class TfBuffer {
  private readonly parents = new Map<string, string>();
  private readonly series = new Map<string, Stamped[]>();

  add(parent: string, child: string, timeNs: bigint, tf: Rigid, isStatic = false): void {
    const p = strip(parent), c = strip(child);
    if (!p || !c || p === c) return;
    this.parents.set(c, p);
    const list = this.series.get(c) ?? [];
    if (isStatic) list.length = 0;
    list.push({ ...tf, timeNs: isStatic ? -1n : timeNs });
    this.series.set(c, list);
  }

  /** Adds every transform of a decoded TFMessage (ROS 1 or ROS 2 field names). */
  addMessage(msg: unknown, logTimeNs: bigint, isStatic: boolean): void {
    const transforms = (msg as { transforms?: unknown[] })?.transforms ?? [];
    for (const raw of transforms) {
      const ts = raw as { header?: { frame_id?: string }; child_frame_id?: string; transform?: { translation?: Vec; rotation?: Quat } };
      const tr = ts.transform?.translation, rot = ts.transform?.rotation;
      if (!tr || !rot) continue;
      this.add(ts.header?.frame_id ?? '', ts.child_frame_id ?? '', logTimeNs, { t: [tr.x, tr.y, tr.z], q: [rot.x, rot.y, rot.z, rot.w] }, isStatic);
    }
  }

  frames(): string[] {
    return [...new Set([...this.parents.keys(), ...this.parents.values()])].sort();
  }

  parentOf(frame: string): string | undefined {
    return this.parents.get(strip(frame));
  }

  /** The top of the tree the frame hangs in. */
  rootOf(frame: string): string {
    let f = strip(frame);
    for (let guard = 0; this.parents.has(f) && guard < 256; guard++) f = this.parents.get(f)!;
    return f;
  }

  /** Children in the buffer that have no children themselves. */
  leaves(): string[] {
    const parents = new Set(this.parents.values());
    return [...this.parents.keys()].filter((f) => !parents.has(f)).sort();
  }

  depth(frame: string): number {
    let n = 0;
    for (let f = strip(frame); this.parents.has(f) && n < 256; f = this.parents.get(f)!) n++;
    return n;
  }

  /** The pose of `frame` in its root frame at `timeNs` (null when a link has no data yet). */
  inRoot(frame: string, timeNs: bigint): Rigid | null {
    let acc: Rigid = { t: [0, 0, 0], q: [0, 0, 0, 1] };
    for (let f = strip(frame), guard = 0; this.parents.has(f) && guard < 256; f = this.parents.get(f)!, guard++) {
      const link = sample(this.series.get(f) ?? [], timeNs);
      if (!link) return null;
      acc = compose(link, acc);
    }
    return acc;
  }
}

type Vec = { x: number; y: number; z: number };
type Quat = Vec & { w: number };

const strip = (f: string) => f.replace(/^\/+/, '');

function sample(list: Stamped[], timeNs: bigint): Stamped | null {
  if (!list.length) return null;
  let lo = 0, hi = list.length - 1, best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].timeNs <= timeNs) { best = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return list[best < 0 ? 0 : best];
}

export function rotate(q: readonly number[], v: readonly number[]): [number, number, number] {
  const [x, y, z, w] = q;
  const [vx, vy, vz] = v;
  // v' = v + 2w (q×v) + 2 q×(q×v)
  const cx = y * vz - z * vy, cy = z * vx - x * vz, cz = x * vy - y * vx;
  const ccx = y * cz - z * cy, ccy = z * cx - x * cz, ccz = x * cy - y * cx;
  return [vx + 2 * (w * cx + ccx), vy + 2 * (w * cy + ccy), vz + 2 * (w * cz + ccz)];
}

/** a ∘ b: first b, then a (both map child coordinates into parent coordinates). */
export function compose(a: Rigid, b: Rigid): Rigid {
  const [ax, ay, az, aw] = a.q, [bx, by, bz, bw] = b.q;
  const rt = rotate(a.q, b.t);
  return {
    t: [rt[0] + a.t[0], rt[1] + a.t[1], rt[2] + a.t[2]],
    q: [aw * bx + ax * bw + ay * bz - az * by, aw * by - ax * bz + ay * bw + az * bx, aw * bz + ax * by - ay * bx + az * bw, aw * bw - ax * bx - ay * by - az * bz],
  };
}

/** Row-major 4×4 of a rigid transform. */
export function matrixOf(r: Rigid): number[] {
  const [x, y, z, w] = r.q;
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w), r.t[0],
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w), r.t[1],
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y), r.t[2],
    0, 0, 0, 1,
  ];
}

/** The quaternion of a proper rotation matrix (row-major 3×3). */
export function quaternionOf(m: readonly number[]): [number, number, number, number] {
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = m;
  const tr = m00 + m11 + m22;
  let q: [number, number, number, number];
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    q = [(m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s, s / 4];
  } else if (m00 > m11 && m00 > m22) {
    const s = Math.sqrt(1 + m00 - m11 - m22) * 2;
    q = [s / 4, (m01 + m10) / s, (m02 + m20) / s, (m21 - m12) / s];
  } else if (m11 > m22) {
    const s = Math.sqrt(1 + m11 - m00 - m22) * 2;
    q = [(m01 + m10) / s, s / 4, (m12 + m21) / s, (m02 - m20) / s];
  } else {
    const s = Math.sqrt(1 + m22 - m00 - m11) * 2;
    q = [(m02 + m20) / s, (m12 + m21) / s, s / 4, (m10 - m01) / s];
  }
  const n = Math.hypot(...q);
  return q.map((v) => v / n) as [number, number, number, number];
}
