/**
 * The Live section's 3D view: the robot (URDF, posed from joint states), the camera frustum, the
 * end-effector trail, the lifted path and a drag gizmo for the end-effector target. Plain classes
 * (Lichtblick-style), no React: the console feeds it state and it renders on its own animation
 * frame, so a 15 Hz camera never costs the view its 60 fps.
 *
 * Rendering is the main thread's biggest cost in the console when WebGL is software (SwiftShader on
 * machines without a GPU): the scene is drawn only when something changed, never while the control
 * loop has a step in flight (`yieldTo`: a step's continuation must not wait behind a frame of 3D),
 * and in software GL at most 20 times a second, without MSAA, at pixel ratio 1 (0.5 while the robot
 * is driven).
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { FrustumLayer } from './frustumLayer';
import { GizmoLayer } from './gizmoLayer';
import { PathLayer, type LiftedWaypoint } from './pathLayer';
import { TrailLayer } from './trailLayer';
import { UrdfLayer } from './urdfLayer';

export interface ViewerCallbacks {
  /** The operator drags the end-effector target (base frame), or lets go (null). */
  onGizmoTarget?: (p: [number, number, number] | null) => void;
  /** True while something more urgent (a control step) needs the main thread: drawing waits a frame. */
  yieldTo?: () => boolean;
}

/** Whether WebGL here is a software rasterizer (SwiftShader, llvmpipe): then every pixel costs CPU. */
export function isSoftwareWebGl(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|software|basic render/i.test(renderer);
  } catch {
    return false;
  }
}

export class LiveViewer {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly camera = new THREE.PerspectiveCamera(45, 1, 0.01, 20);
  /** ROS frames are z-up; three.js is y-up: everything robot-side hangs under this rotated root. */
  readonly root = new THREE.Group();
  readonly urdf = new UrdfLayer(() => (this.dirty = true));
  readonly trail = new TrailLayer();
  readonly frustum = new FrustumLayer();
  readonly path = new PathLayer();
  readonly gizmo: GizmoLayer;
  private readonly controls: OrbitControls;
  private readonly eeMarker = new THREE.Mesh(new THREE.SphereGeometry(0.01, 12, 8), new THREE.MeshBasicMaterial({ color: 0xf5b84d }));
  private raf = 0;
  private readonly resize: ResizeObserver;
  private frameTimes: number[] = [];
  private renderTimes: number[] = [];
  /** Animation frames per second the page sustains (the display's rate when nothing blocks it). */
  fps = 0;
  /** Frames actually rendered per second: the scene is drawn only when something changed. */
  renders = 0;
  /** Mean time of the last draws (ms): what one frame of 3D costs the main thread. */
  renderMs = 0;
  readonly software: boolean;
  private dirty = true;
  /** The robot's meshes on screen: those that had arrived at the last draw. */
  meshesDrawn = 0;
  private lastRenderAt = -Infinity;
  private readonly minRenderGapMs: number;
  private readonly scratch = new THREE.Vector3();
  private driving = false;

  constructor(private readonly host: HTMLElement, private readonly callbacks: ViewerCallbacks = {}) {
    this.software = isSoftwareWebGl();
    // MSAA and high-DPI pixels are cheap on a GPU and very expensive in a software rasterizer.
    this.renderer = new THREE.WebGLRenderer({ antialias: !this.software && window.devicePixelRatio < 2, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(this.pixelRatio());
    this.minRenderGapMs = 1000 / (this.software ? 20 : 60) - 2;
    host.appendChild(this.renderer.domElement);
    this.renderer.domElement.setAttribute('data-testid', 'viewer3d-canvas');
    this.scene.background = new THREE.Color(0x15181e);
    this.root.rotation.x = -Math.PI / 2;
    this.scene.add(this.root);
    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x333344, 1.2));
    const sun = new THREE.DirectionalLight(0xffffff, 1.5);
    sun.position.set(1, 2, 1);
    this.scene.add(sun);
    // The table top (z = 0 in the base frame) as a grid.
    const grid = new THREE.GridHelper(1.6, 16, 0x3a4150, 0x262b35);
    grid.rotation.x = Math.PI / 2;
    this.root.add(grid, new THREE.AxesHelper(0.15));
    this.root.add(this.urdf.group, this.trail.line, this.frustum.group, this.path.group, this.eeMarker);
    this.camera.position.set(1.2, 0.9, 0.9);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.target.set(0.4, 0.15, 0);
    this.controls.enableDamping = true;
    this.controls.addEventListener('change', () => (this.dirty = true));
    this.controls.update();
    this.gizmo = new GizmoLayer(this.camera, this.renderer.domElement, this.root, (p) => callbacks.onGizmoTarget?.(p), (dragging) => (this.controls.enabled = !dragging));
    this.gizmo.controls.addEventListener('change', () => (this.dirty = true));
    this.scene.add(this.gizmo.controls.getHelper());
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(host);
    this.fit();
    this.loop();
  }

  loadRobot(urdf: string, meshes?: Map<string, File>): { joints: string[] } {
    this.dirty = true;
    return this.urdf.load(urdf, meshes);
  }

  setJoints(names: string[], positions: number[]): void {
    const key = positions.map((p) => p.toFixed(4)).join();
    if (key === this.lastJoints) return;
    this.lastJoints = key;
    this.urdf.setJoints(names, positions);
    this.dirty = true;
  }

  private lastJoints = '';

  /** End-effector position (base frame): moves the marker and the gizmo, extends the trail. */
  setEndEffector(p: [number, number, number]): void {
    if (this.eeMarker.position.distanceToSquared(this.scratch.set(...p)) < 1e-8) return;
    this.dirty = true;
    this.eeMarker.position.set(...p);
    this.trail.push(...p);
    this.gizmo.follow(...p);
  }

  /**
   * The robot is being driven (a run or teleop). In software GL the view then draws at half
   * resolution: measured, a full-resolution SwiftShader frame held the page's main thread ~30 ms
   * (outside JS), time the control loop's steps need.
   */
  setDriving(driving: boolean): void {
    if (driving === this.driving) return;
    this.driving = driving;
    if (!this.software) return;
    this.renderer.setPixelRatio(this.pixelRatio());
    this.fit();
  }

  private pixelRatio(): number {
    if (this.software) return this.driving ? 0.5 : 1;
    return Math.min(2, window.devicePixelRatio);
  }

  setCamera(k: number[], width: number, height: number, cameraToBase: number[]): void {
    this.frustum.update(k, width, height, cameraToBase);
    this.dirty = true;
  }

  setPath(points: LiftedWaypoint[]): void {
    this.path.update(points);
    this.dirty = true;
  }

  private fit(): void {
    const w = Math.max(1, this.host.clientWidth), h = Math.max(1, this.host.clientHeight);
    this.renderer.setSize(w, h);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.dirty = true;
  }

  private loop = (): void => {
    this.raf = requestAnimationFrame(this.loop);
    const now = performance.now();
    this.frameTimes.push(now);
    while (this.frameTimes.length && this.frameTimes[0] < now - 1000) this.frameTimes.shift();
    this.fps = this.frameTimes.length;
    this.controls.update(); // damping may still move the camera (fires 'change')
    while (this.renderTimes.length && this.renderTimes[0] < now - 1000) this.renderTimes.shift();
    this.renders = this.renderTimes.length;
    // Draw only when something changed: a still robot costs no GPU (or SwiftShader CPU) time.
    if (!this.dirty || now - this.lastRenderAt < this.minRenderGapMs || this.callbacks.yieldTo?.()) return;
    this.dirty = false;
    this.lastRenderAt = now;
    this.renderTimes.push(now);
    this.meshesDrawn = this.urdf.meshesLoaded;
    this.renderer.render(this.scene, this.camera);
    this.renderMs = this.renderMs * 0.8 + (performance.now() - now) * 0.2;
  };

  dispose(): void {
    cancelAnimationFrame(this.raf);
    this.resize.disconnect();
    this.controls.dispose();
    this.gizmo.dispose();
    this.urdf.clear();
    this.trail.dispose();
    this.frustum.dispose();
    this.path.clear();
    this.renderer.dispose();
    this.renderer.domElement.remove();
  }
}
