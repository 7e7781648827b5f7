/** The camera as a wire pyramid: its pose from `/tf_static`, its field of view from CameraInfo's K. */
import * as THREE from 'three';

export class FrustumLayer {
  readonly group = new THREE.Group();
  private lines: THREE.LineSegments | null = null;

  /**
   * `cameraToBase`: row-major 4×4 (OpenCV optical frame → base). Draws the image corners at `depth` m.
   */
  update(k: number[], width: number, height: number, cameraToBase: number[], depth = 0.2): void {
    this.dispose();
    const corners = [[0, 0], [width, 0], [width, height], [0, height]].map(([u, v]) => new THREE.Vector3(((u - k[2]) / k[0]) * depth, ((v - k[5]) / k[4]) * depth, depth));
    const o = new THREE.Vector3();
    const pts: THREE.Vector3[] = [];
    for (let i = 0; i < 4; i++) pts.push(o, corners[i], corners[i], corners[(i + 1) % 4]);
    // The "up" tick shows which way the image's top is.
    const top = corners[0].clone().add(corners[1]).multiplyScalar(0.5);
    pts.push(top, top.clone().add(new THREE.Vector3(0, -depth * 0.15, 0)));
    const geom = new THREE.BufferGeometry().setFromPoints(pts);
    this.lines = new THREE.LineSegments(geom, new THREE.LineBasicMaterial({ color: 0x4f9cff }));
    const m = new THREE.Matrix4().set(...(cameraToBase as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number]));
    this.lines.matrixAutoUpdate = false;
    this.lines.matrix.copy(m);
    this.group.add(this.lines);
  }

  dispose(): void {
    if (!this.lines) return;
    this.group.remove(this.lines);
    this.lines.geometry.dispose();
    (this.lines.material as THREE.Material).dispose();
    this.lines = null;
  }
}
