/** The end effector's recent positions as a line (a ring buffer drawn with one geometry). */
import * as THREE from 'three';

export class TrailLayer {
  readonly line: THREE.Line;
  private readonly positions: Float32Array;
  private count = 0;
  private last = new THREE.Vector3(Infinity, 0, 0);
  private readonly scratch = new THREE.Vector3();

  constructor(private readonly capacity = 600, color = 0xf5b84d) {
    this.positions = new Float32Array(capacity * 3);
    const geom = new THREE.BufferGeometry();
    geom.setAttribute('position', new THREE.BufferAttribute(this.positions, 3).setUsage(THREE.DynamicDrawUsage));
    geom.setDrawRange(0, 0);
    this.line = new THREE.Line(geom, new THREE.LineBasicMaterial({ color }));
    this.line.frustumCulled = false;
  }

  /** Adds a point if it moved more than 2 mm (a still arm does not fill the buffer). */
  push(x: number, y: number, z: number): void {
    if (this.last.distanceToSquared(this.scratch.set(x, y, z)) < 4e-6) return;
    this.last.set(x, y, z);
    if (this.count === this.capacity) {
      this.positions.copyWithin(0, 3);
      this.count--;
    }
    const i = this.count * 3;
    this.positions[i] = x;
    this.positions[i + 1] = y;
    this.positions[i + 2] = z;
    this.count++;
    const geom = this.line.geometry;
    geom.setDrawRange(0, this.count);
    (geom.attributes.position as THREE.BufferAttribute).needsUpdate = true;
  }

  clear(): void {
    this.count = 0;
    this.line.geometry.setDrawRange(0, 0);
  }

  dispose(): void {
    this.line.geometry.dispose();
    (this.line.material as THREE.Material).dispose();
  }
}
