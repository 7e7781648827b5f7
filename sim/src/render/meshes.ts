/**
 * Triangle meshes of MuJoCo's primitive geoms, in the geom's local frame (z is the axis of
 * capsules and cylinders, as in MuJoCo). Only convex shapes: the rasterizer orients faces outward
 * from the geom centre, so winding here does not matter.
 */
import { GeomType } from '../physics.ts';

export interface Mesh {
  /** xyz per vertex. */
  vertices: Float32Array;
  /** Three vertex indices per triangle. */
  triangles: Uint16Array;
}

const SLICES = 16;
const STACKS = 8;

function build(verts: number[][], tris: number[][]): Mesh {
  return { vertices: Float32Array.from(verts.flat()), triangles: Uint16Array.from(tris.flat()) };
}

function box(hx: number, hy: number, hz: number): Mesh {
  const v: number[][] = [];
  for (const x of [-hx, hx]) for (const y of [-hy, hy]) for (const z of [-hz, hz]) v.push([x, y, z]);
  // Vertex index = 4·(x>0) + 2·(y>0) + (z>0).
  const quads = [[0, 1, 3, 2], [4, 6, 7, 5], [0, 4, 5, 1], [2, 3, 7, 6], [0, 2, 6, 4], [1, 5, 7, 3]];
  return build(v, quads.flatMap(([a, b, c, d]) => [[a, b, c], [a, c, d]]));
}

/** Sphere-like surface; `zOffset(ring)` splits it into the two caps of a capsule. */
function roundSurface(rx: number, ry: number, rz: number, halfLength = 0): Mesh {
  const v: number[][] = [];
  const rings = STACKS + (halfLength > 0 ? 1 : 0); // capsule: duplicate the equator, one per cap
  for (let i = 0; i <= rings; i++) {
    const stack = halfLength > 0 ? (i <= STACKS / 2 ? i : i - 1) : i;
    const theta = (Math.PI * stack) / STACKS;
    const shift = halfLength > 0 ? (i <= STACKS / 2 ? halfLength : -halfLength) : 0;
    for (let j = 0; j < SLICES; j++) {
      const phi = (2 * Math.PI * j) / SLICES;
      v.push([rx * Math.sin(theta) * Math.cos(phi), ry * Math.sin(theta) * Math.sin(phi), rz * Math.cos(theta) + shift]);
    }
  }
  const tris: number[][] = [];
  for (let i = 0; i < rings; i++) {
    for (let j = 0; j < SLICES; j++) {
      const a = i * SLICES + j, b = i * SLICES + ((j + 1) % SLICES), c = a + SLICES, d = b + SLICES;
      if (i > 0) tris.push([a, b, d]);
      if (i < rings - 1) tris.push([a, d, c]);
    }
  }
  return build(v, tris);
}

function cylinder(r: number, h: number): Mesh {
  const v: number[][] = [[0, 0, h], [0, 0, -h]];
  for (let j = 0; j < SLICES; j++) {
    const phi = (2 * Math.PI * j) / SLICES;
    v.push([r * Math.cos(phi), r * Math.sin(phi), h], [r * Math.cos(phi), r * Math.sin(phi), -h]);
  }
  const tris: number[][] = [];
  for (let j = 0; j < SLICES; j++) {
    const top = 2 + 2 * j, bottom = top + 1, nextTop = 2 + 2 * ((j + 1) % SLICES), nextBottom = nextTop + 1;
    tris.push([0, top, nextTop], [1, nextBottom, bottom], [top, bottom, nextBottom], [top, nextBottom, nextTop]);
  }
  return build(v, tris);
}

/** Mesh of a geom from its MuJoCo type and size; null for types we do not draw. */
export function primitiveMesh(type: number, size: readonly number[]): Mesh | null {
  switch (type) {
    case GeomType.box: return box(size[0], size[1], size[2]);
    case GeomType.sphere: return roundSurface(size[0], size[0], size[0]);
    case GeomType.ellipsoid: return roundSurface(size[0], size[1], size[2]);
    case GeomType.capsule: return roundSurface(size[0], size[0], size[0], size[1]);
    case GeomType.cylinder: return cylinder(size[0], size[1]);
    case GeomType.plane: {
      const hx = size[0] || 3, hy = size[1] || 3;
      return build([[-hx, -hy, 0], [hx, -hy, 0], [hx, hy, 0], [-hx, hy, 0]], [[0, 1, 2], [0, 2, 3]]);
    }
    default: return null;
  }
}
