/**
 * The 2D path lifted into 3D where depth is known: each waypoint is placed on the surface the
 * camera sees under it (from the depth image), coloured along the jet map like the 2D overlay,
 * with red/blue spheres where the gripper opens/closes.
 */
import * as THREE from 'three';

export interface LiftedWaypoint {
  position: [number, number, number];
  gripper: 'open' | 'closed';
  /** False when the depth under the point was unknown (drawn at the last known depth). */
  known: boolean;
}

export class PathLayer {
  readonly group = new THREE.Group();

  update(points: LiftedWaypoint[]): void {
    this.clear();
    if (points.length < 2) return;
    const n = points.length;
    const positions = points.flatMap((p) => p.position);
    const colors = points.flatMap((_, i) => {
      const c = new THREE.Color().setHSL(0.66 * (1 - i / (n - 1)), 1, 0.5); // blue → red, like jet
      return [c.r, c.g, c.b];
    });
    const geom = new THREE.BufferGeometry();
    geom.setAttribute('position', new THREE.Float32BufferAttribute(positions, 3));
    geom.setAttribute('color', new THREE.Float32BufferAttribute(colors, 3));
    this.group.add(new THREE.Line(geom, new THREE.LineBasicMaterial({ vertexColors: true })));
    let before: 'open' | 'closed' = 'open';
    points.forEach((p, i) => {
      if (i > 0 && p.gripper === before) return;
      before = p.gripper;
      const s = new THREE.Mesh(new THREE.SphereGeometry(0.012, 12, 8), new THREE.MeshBasicMaterial({ color: p.gripper === 'closed' ? 0x2255ff : 0xff3333, transparent: !p.known, opacity: p.known ? 1 : 0.4 }));
      s.position.set(...p.position);
      this.group.add(s);
    });
  }

  clear(): void {
    for (const c of [...this.group.children]) {
      this.group.remove(c);
      const m = c as THREE.Mesh;
      m.geometry?.dispose();
      (m.material as THREE.Material)?.dispose();
    }
  }
}
