/**
 * The robot model from its URDF (urdf-loader), posed from joint states. Meshes come from a folder
 * the operator picked (`package://` and relative paths are looked up by file name) — `parse` never
 * touches the network, as urdf-loader's conventions ask.
 */
import * as THREE from 'three';
import { STLLoader } from 'three/examples/jsm/loaders/STLLoader.js';
import { ColladaLoader } from 'three/examples/jsm/loaders/ColladaLoader.js';
import URDFLoader, { type URDFRobot } from 'urdf-loader';

export class UrdfLayer {
  readonly group = new THREE.Group();
  robot: URDFRobot | null = null;
  private urls: string[] = [];
  /** Meshes of the loaded robot that have arrived so far. */
  meshesLoaded = 0;

  /** `onMeshLoaded`: a mesh arrived after `load` returned (meshes load asynchronously): draw again. */
  constructor(private readonly onMeshLoaded: () => void = () => {}) {}

  /** `meshFiles`: file name (or relative path) → file, from a folder the operator dropped or as stored. */
  load(urdf: string, meshFiles?: Map<string, Blob>): { joints: string[] } {
    this.clear();
    const manager = new THREE.LoadingManager();
    const loader = new URDFLoader(manager);
    loader.parseCollision = false;
    loader.loadMeshCb = (path, _manager, material, loaded) => {
      // urdf-loader attaches the mesh to its link inside `loaded`; after that it can be drawn.
      const done = (mesh: THREE.Object3D, err?: Error) => {
        loaded(mesh, err);
        if (!mesh) return;
        this.meshesLoaded++;
        this.onMeshLoaded();
      };
      const file = findMesh(path, meshFiles);
      if (!file) return done(null as unknown as THREE.Object3D, new Error(`mesh not found: ${path}`));
      const url = URL.createObjectURL(file);
      this.urls.push(url);
      if (/\.stl$/i.test(path)) {
        new STLLoader(manager).load(url, (geom) => done(new THREE.Mesh(geom, material ?? new THREE.MeshStandardMaterial({ color: 0x9aa3b5 }))), undefined, (e) => done(null as unknown as THREE.Object3D, e as Error));
      } else if (/\.dae$/i.test(path)) {
        new ColladaLoader(manager).load(url, (c) => done(c?.scene ?? new THREE.Group()), undefined, (e) => done(null as unknown as THREE.Object3D, e as Error));
      } else {
        done(null as unknown as THREE.Object3D, new Error(`unsupported mesh format: ${path}`));
      }
    };
    const robot = loader.parse(urdf);
    robot.traverse((o) => {
      const mesh = o as THREE.Mesh;
      if (mesh.isMesh && (mesh.material as THREE.MeshPhongMaterial)?.color) {
        // URDF colours are flat; a standard material reads better under the scene's lights.
        const c = (mesh.material as THREE.MeshPhongMaterial).color;
        mesh.material = new THREE.MeshStandardMaterial({ color: c, roughness: 0.7, metalness: 0.1 });
      }
    });
    this.robot = robot;
    this.group.add(robot);
    return { joints: Object.keys(robot.joints) };
  }

  setJoints(names: string[], positions: number[]): void {
    const robot = this.robot;
    if (!robot) return;
    for (let i = 0; i < names.length; i++) {
      const j = robot.joints[names[i]];
      if (j) j.setJointValue(positions[i]);
    }
  }

  /** World (base frame) position of a link, e.g. the end effector. */
  linkPosition(name: string): THREE.Vector3 | null {
    const link = this.robot?.links[name];
    if (!link) return null;
    link.updateWorldMatrix(true, false);
    return this.group.worldToLocal(link.getWorldPosition(new THREE.Vector3()));
  }

  clear(): void {
    this.meshesLoaded = 0;
    if (this.robot) {
      this.group.remove(this.robot);
      this.robot.traverse((o) => {
        const m = o as THREE.Mesh;
        if (m.isMesh) {
          m.geometry?.dispose();
          (Array.isArray(m.material) ? m.material : [m.material]).forEach((x) => x?.dispose());
        }
      });
    }
    this.robot = null;
    this.urls.forEach((u) => URL.revokeObjectURL(u));
    this.urls = [];
  }
}

function findMesh(path: string, files?: Map<string, Blob>): Blob | undefined {
  if (!files) return undefined;
  const clean = path.replace(/^package:\/\//, '').replace(/^\.?\//, '');
  if (files.has(clean)) return files.get(clean);
  // Match the longest path suffix: "robot_pkg/meshes/link1.stl" finds "meshes/link1.stl" or "link1.stl".
  const parts = clean.split('/');
  for (let i = 1; i < parts.length; i++) {
    const tail = parts.slice(i).join('/');
    if (files.has(tail)) return files.get(tail);
  }
  return undefined;
}
