/**
 * A draggable end-effector target (three.js TransformControls, translate only). While the operator
 * drags, `onTarget` reports the target in the base frame; on release it reports null.
 */
import * as THREE from 'three';
import { TransformControls } from 'three/examples/jsm/controls/TransformControls.js';

export class GizmoLayer {
  readonly target = new THREE.Mesh(new THREE.SphereGeometry(0.015, 16, 12), new THREE.MeshBasicMaterial({ color: 0x3ecf8e, transparent: true, opacity: 0.7 }));
  readonly controls: TransformControls;
  dragging = false;

  constructor(camera: THREE.Camera, dom: HTMLElement, parent: THREE.Object3D, private readonly onTarget: (p: [number, number, number] | null) => void, onDragging: (dragging: boolean) => void) {
    parent.add(this.target);
    this.controls = new TransformControls(camera, dom);
    this.controls.setMode('translate');
    this.controls.setSize(0.7);
    this.controls.attach(this.target);
    this.controls.addEventListener('dragging-changed', (e) => {
      this.dragging = Boolean(e.value);
      onDragging(this.dragging);
      if (!this.dragging) this.onTarget(null);
    });
    this.controls.addEventListener('objectChange', () => {
      if (this.dragging) this.onTarget([this.target.position.x, this.target.position.y, this.target.position.z]);
    });
  }

  /** Follows the end effector while not dragged, so a drag starts from where the gripper is. */
  follow(x: number, y: number, z: number): void {
    if (!this.dragging) this.target.position.set(x, y, z);
  }

  dispose(): void {
    this.controls.detach();
    this.controls.dispose();
    this.target.geometry.dispose();
    (this.target.material as THREE.Material).dispose();
  }
}
