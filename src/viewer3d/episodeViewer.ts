/**
 * The episode player's 3D view (robot base frame, z up): the end effector's trail over the whole
 * episode, a marker where it is at the frame shown, the camera's frustum and, when the episode
 * stored its robot, the arm from its URDF posed at that frame. Plain three.js, no
 * React: the player's panel hands it the episode once and the frame on every change.
 *
 * It draws only when something changed, on the next animation frame, so scrubbing costs at most
 * one draw per displayed frame; in software WebGL (SwiftShader: every pixel costs CPU, the frame
 * image and plots need it too) at most 20 draws a second, at pixel ratio 1, without MSAA.
 */
import { AmbientLight, AxesHelper, Box3, Color, DirectionalLight, GridHelper, Mesh, MeshBasicMaterial, PerspectiveCamera, Scene, SphereGeometry, Vector3, WebGLRenderer } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { FrustumLayer } from './frustumLayer';
import { isSoftwareWebGl } from './liveViewer';
import { TrailLayer } from './trailLayer';
import { UrdfLayer } from './urdfLayer';

export type Point3 = readonly [number, number, number];

/** The arm to pose: its URDF, mesh files by the path the URDF uses, the end-effector link, joint values per frame. */
export interface EpisodeRobot {
  urdf: string;
  meshes: Map<string, Blob>;
  tip: string;
  joints: string[];
  values: number[][];
}

export interface EpisodeCamera {
  /** Row-major 3×3 intrinsics. */
  k: number[];
  width: number;
  height: number;
  /** Row-major 4×4, OpenCV optical frame → base. */
  cameraToBase: number[];
}

const TRAIL_COLOR = 0x3ecf8e;

export class EpisodeViewer {
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(45, 1, 0.01, 20);
  private readonly controls: OrbitControls;
  private trail = new TrailLayer(1, TRAIL_COLOR);
  private readonly frustum = new FrustumLayer();
  private readonly marker = new Mesh(new SphereGeometry(0.012, 16, 10), new MeshBasicMaterial({ color: 0xf5b84d }));
  private points: readonly Point3[] = [];
  private readonly urdf = new UrdfLayer(() => this.draw());
  private robot: EpisodeRobot | null = null;
  private readonly resize: ResizeObserver;
  private readonly minDrawGapMs: number;
  private raf = 0;
  private lastDrawAt = -Infinity;
  /** Draws so far (the benchmark reads how many frames of 3D scrubbing cost). */
  draws = 0;

  constructor(private readonly host: HTMLElement) {
    const software = isSoftwareWebGl();
    this.minDrawGapMs = software ? 1000 / 20 - 2 : 0;
    this.renderer = new WebGLRenderer({ antialias: !software && window.devicePixelRatio < 2 });
    this.renderer.setPixelRatio(software ? 1 : Math.min(2, window.devicePixelRatio));
    this.renderer.domElement.setAttribute('data-testid', 'episode3d-canvas');
    host.appendChild(this.renderer.domElement);
    this.scene.background = new Color(0x15181e);
    this.camera.up.set(0, 0, 1);
    // The table top (z = 0 in the base frame) as a grid; three's grid lies in xz.
    const grid = new GridHelper(1.6, 16, 0x3a4150, 0x262b35);
    grid.rotation.x = Math.PI / 2;
    const sun = new DirectionalLight(0xffffff, 1.6);
    sun.position.set(1, -1, 2);
    this.scene.add(grid, new AxesHelper(0.15), this.trail.line, this.frustum.group, this.marker, this.urdf.group, new AmbientLight(0xffffff, 0.9), sun);
    this.marker.visible = false;
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.addEventListener('change', () => this.draw());
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(host);
    this.fit();
    this.frame(new Box3(new Vector3(-0.2, -0.4, 0), new Vector3(0.6, 0.4, 0.3)));
  }

  /** The end effector per frame (base frame, m) and the camera, when it is calibrated. */
  setEpisode(points: readonly Point3[], camera: EpisodeCamera | null): void {
    this.points = points;
    this.scene.remove(this.trail.line);
    this.trail.dispose();
    this.trail = new TrailLayer(Math.max(1, points.length), TRAIL_COLOR);
    const bounds = new Box3(new Vector3(), new Vector3()); // the base is always in view
    const scratch = new Vector3();
    for (const p of points) {
      this.trail.push(p[0], p[1], p[2]);
      bounds.expandByPoint(scratch.set(p[0], p[1], p[2]));
    }
    this.scene.add(this.trail.line);
    this.frustum.dispose();
    if (camera) this.frustum.update(camera.k, camera.width, camera.height, camera.cameraToBase);
    if (camera) bounds.expandByPoint(new Vector3(camera.cameraToBase[3], camera.cameraToBase[7], camera.cameraToBase[11]));
    this.frame(bounds);
  }

  /** The arm to pose at every frame, or null; throws when the URDF cannot be read. */
  setRobot(robot: EpisodeRobot | null): void {
    this.robot = null;
    this.urdf.clear();
    if (!robot) return this.draw();
    this.urdf.load(robot.urdf, robot.meshes);
    this.robot = robot;
    this.draw();
  }

  /** Puts the marker on the end effector at `frame` (hidden when the episode has none there) and poses the arm. */
  setFrame(frame: number): void {
    const p = this.points[frame];
    this.marker.visible = !!p;
    if (p) this.marker.position.set(p[0], p[1], p[2]);
    const values = this.robot?.values[frame];
    if (values) this.urdf.setJoints(this.robot!.joints, values);
    this.draw();
  }

  /** Where the posed arm's end-effector link is (base frame), or null without an arm. */
  get robotTipPosition(): Point3 | null {
    const p = this.robot && this.urdf.linkPosition(this.robot.tip);
    return p ? [p.x, p.y, p.z] : null;
  }

  /** Meshes of the arm drawn so far. */
  get robotMeshesLoaded(): number {
    return this.urdf.meshesLoaded;
  }

  /** Where the marker is (base frame), or null when it is hidden. */
  get markerPosition(): Point3 | null {
    return this.marker.visible ? [this.marker.position.x, this.marker.position.y, this.marker.position.z] : null;
  }

  /** Looks at `bounds` from the front right, above. */
  private frame(bounds: Box3): void {
    const centre = bounds.getCenter(new Vector3());
    const size = Math.max(0.3, bounds.getSize(new Vector3()).length());
    this.controls.target.copy(centre);
    this.camera.position.copy(centre).add(new Vector3(size * 0.5, -size * 0.6, size * 0.45));
    this.camera.near = size / 200;
    this.camera.far = size * 20;
    this.camera.updateProjectionMatrix();
    this.controls.update();
    this.draw();
  }

  private fit(): void {
    const w = Math.max(1, this.host.clientWidth), h = Math.max(1, this.host.clientHeight);
    this.renderer.setSize(w, h);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.draw();
  }

  /** Asks for a draw on a coming animation frame (many asks, one draw). */
  private draw(): void {
    if (this.raf) return;
    this.raf = requestAnimationFrame(this.render);
  }

  private render = (now: number): void => {
    if (now - this.lastDrawAt < this.minDrawGapMs) {
      this.raf = requestAnimationFrame(this.render);
      return;
    }
    this.raf = 0;
    this.lastDrawAt = now;
    this.draws++;
    this.renderer.render(this.scene, this.camera);
  };

  dispose(): void {
    cancelAnimationFrame(this.raf);
    this.resize.disconnect();
    this.controls.dispose();
    this.trail.dispose();
    this.frustum.dispose();
    this.urdf.clear();
    this.marker.geometry.dispose();
    this.marker.material.dispose();
    this.renderer.dispose();
    this.renderer.domElement.remove();
  }
}
