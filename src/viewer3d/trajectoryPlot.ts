/**
 * 3D plot of end-effector trajectories (robot base frame, z up) as a plain three.js class: one line
 * per episode, a dot at each start, the base axes and a floor grid; orbit with the mouse.
 * Loaded lazily by the episode importer.
 */
import { AmbientLight, AxesHelper, BufferGeometry, Color, DirectionalLight, Float32BufferAttribute, GridHelper, Line, LineBasicMaterial, Mesh, MeshBasicMaterial, PerspectiveCamera, Scene, SphereGeometry, Vector3, WebGLRenderer } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { UrdfLayer } from './urdfLayer';

export interface TrajectoryTrack {
  name: string;
  points: readonly (readonly [number, number, number])[];
}

const PALETTE = ['#4f9cff', '#3ecf8e', '#f5b84d', '#ff5c5c', '#b48cff', '#4fd6e0', '#ff8fd0', '#c0c46a'];

export class TrajectoryPlot {
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(45, 1, 0.001, 100);
  private readonly controls: OrbitControls;
  private readonly objects: (Line | Mesh)[] = [];
  private frame = 0;
  private robot: UrdfLayer | null = null;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.renderer = new WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    this.scene.background = new Color('#111318');
    this.camera.up.set(0, 0, 1);
    const grid = new GridHelper(1, 10, 0x3a3f4b, 0x2c313c);
    grid.rotation.x = Math.PI / 2; // three's grid lies in xz; the robot's floor is xy.
    const sun = new DirectionalLight(0xffffff, 1.6);
    sun.position.set(1, -1, 2);
    this.scene.add(grid, new AxesHelper(0.1), new AmbientLight(0xffffff, 0.9), sun);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.addEventListener('change', () => this.render());
    this.resize();
  }

  setTracks(tracks: TrajectoryTrack[]): void {
    for (const o of this.objects) {
      this.scene.remove(o);
      o.geometry.dispose();
      (o.material as LineBasicMaterial).dispose();
    }
    this.objects.length = 0;
    const lo = new Vector3(Infinity, Infinity, Infinity), hi = new Vector3(-Infinity, -Infinity, -Infinity);
    tracks.forEach((t, k) => {
      const color = PALETTE[k % PALETTE.length];
      const flat = t.points.flatMap((p) => [p[0], p[1], p[2]]);
      const geometry = new BufferGeometry();
      geometry.setAttribute('position', new Float32BufferAttribute(flat, 3));
      const line = new Line(geometry, new LineBasicMaterial({ color }));
      line.name = t.name;
      this.objects.push(line);
      if (t.points.length) {
        const dot = new Mesh(new SphereGeometry(0.006), new MeshBasicMaterial({ color }));
        dot.position.set(...(t.points[0] as [number, number, number]));
        this.objects.push(dot);
      }
      for (const p of t.points) { lo.min(new Vector3(...p)); hi.max(new Vector3(...p)); }
    });
    this.scene.add(...this.objects);
    if (Number.isFinite(lo.x)) {
      lo.min(new Vector3(0, 0, 0)); hi.max(new Vector3(0, 0, 0));
      const centre = lo.clone().add(hi).multiplyScalar(0.5);
      const size = Math.max(0.1, hi.clone().sub(lo).length());
      this.controls.target.copy(centre);
      this.camera.position.copy(centre).add(new Vector3(size, -size, size * 0.8));
      this.camera.near = size / 100;
      this.camera.far = size * 20;
      this.camera.updateProjectionMatrix();
      this.controls.update();
    }
    this.render();
  }

  /**
   * Shows the robot (urdf-loader, meshes from the picked folder, `package://` paths resolved by
   * file name) posed with the given joint values; returns urdf-loader's position of `tipLink`.
   */
  setRobot(urdf: string, meshFiles: Map<string, File>, joints: Record<string, number>, tipLink: string): [number, number, number] | null {
    this.robot?.clear();
    if (!this.robot) {
      this.robot = new UrdfLayer(() => this.render());
      this.scene.add(this.robot.group);
    }
    this.robot.load(urdf, meshFiles);
    this.robot.setJoints(Object.keys(joints), Object.values(joints));
    this.robot.robot?.updateMatrixWorld(true);
    this.render();
    const p = this.robot.linkPosition(tipLink);
    return p ? [p.x, p.y, p.z] : null;
  }

  resize(): void {
    const w = this.canvas.clientWidth || 480, h = this.canvas.clientHeight || 360;
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.render();
  }

  render(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.renderer.render(this.scene, this.camera));
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.robot?.clear();
    this.controls.dispose();
    this.setTracks([]);
    this.renderer.dispose();
  }
}
