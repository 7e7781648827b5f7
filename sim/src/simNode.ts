/**
 * The simulated robot on the wire: runs the Simulation in real time and serves it over rosbridge
 * with the topics of docs/LIVE.md (Robot topics), the URDF, task topics and the reset service.
 */
import { ARM_JOINTS, EE_FRAME, FINGER_JOINTS, armUrdf } from './scene/arm.ts';
import { completeScene, sampleScene, validateScene, type Split } from './scene/tasks.ts';
import type { SceneSpec, TaskKind } from './scene/types.ts';
import { CameraModel } from './render/camera.ts';
import { encodeJpeg } from './render/jpeg.ts';
import { Rasterizer } from './render/rasterizer.ts';
import { checkFloat64, checkTwistStamped } from './rosbridge/messages.ts';
import { registerRosapi } from './rosbridge/rosapi.ts';
import { RosbridgeServer, type TopicPublisher } from './rosbridge/server.ts';
import { cameraInfo, cameraTransform, compressedImage, depthImage, jointState, transformStamped } from './rosMessages.ts';
import { CONTROL_PERIOD, Simulation } from './sim.ts';
import type { ControllerLimits } from './controller.ts';
import { DEFAULT_TOPICS } from '../../src/robot/profile.ts';

/** The docs/LIVE.md Robot topics are the studio's defaults (one list for both ends), plus the sim's status. */
export const TOPICS = { ...DEFAULT_TOPICS, status: '/sim/task/status' } as const;
export const SERVICES = { reset: '/sim/reset', state: '/sim/get_state' } as const;
export const RESET_SERVICE_TYPE = 'path_studio_sim/srv/Reset';
/** The sim's ROS node name (rosapi's nodes, node_details, parameter names). */
export const SIM_NODE = '/path_studio_sim';

export interface SimNodeOptions {
  port: number;
  host?: string;
  cameraHz?: number;
  stateHz?: number;
  width?: number;
  height?: number;
  seed?: number;
  tasks?: TaskKind[];
  split?: Split;
  limits?: Partial<ControllerLimits>;
  /** Twists stamped longer ago than this (ms, by this machine's clock) are dropped; 0-stamped ones are taken. */
  maxCommandAgeMs?: number;
}

/** Request of /sim/reset. Either `scene` (explicit) or `seed` (+ optional tasks/split). */
export interface ResetRequest {
  seed?: number;
  tasks?: TaskKind[];
  split?: Split;
  scene?: Partial<SceneSpec> & Pick<SceneSpec, 'objects' | 'task'>;
}

const MAX_STEPS_PER_TICK = 10;

/** Header stamps are Unix time in seconds, as on a real robot (the loop itself uses a monotonic clock). */
const rosNow = () => Date.now() / 1000;

export class SimNode {
  readonly server = new RosbridgeServer();
  port = 0;
  private sim!: Simulation;
  private camera!: CameraModel;
  private rasterizer!: Rasterizer;
  private timer: NodeJS.Timeout | null = null;
  private resetting = false;
  private resetQueue: Promise<unknown> = Promise.resolve();
  private wallStart = 0;
  private stepsRun = 0;
  private lastState = -Infinity;
  private lastCamera = -Infinity;
  private lastStatus = -Infinity;
  private lastSuccess = false;
  private seed = 0;
  private episode = 0;
  /** Twists dropped because their stamp was older than `maxCommandAgeMs`. */
  staleCommands = 0;
  private readonly pub: Record<'image' | 'cameraInfo' | 'depth' | 'jointStates' | 'tf' | 'tfStatic' | 'robotDescription' | 'instruction' | 'success' | 'status', TopicPublisher>;
  private readonly opts: Required<Omit<SimNodeOptions, 'tasks' | 'limits'>> & Pick<SimNodeOptions, 'tasks' | 'limits'>;

  private constructor(options: SimNodeOptions) {
    this.opts = { host: '0.0.0.0', cameraHz: 15, stateHz: 50, width: 256, height: 256, seed: 0, split: 'train', maxCommandAgeMs: 250, ...options };
    const s = this.server;
    this.pub = {
      image: s.advertise(TOPICS.image, 'sensor_msgs/msg/CompressedImage'),
      cameraInfo: s.advertise(TOPICS.cameraInfo, 'sensor_msgs/msg/CameraInfo', { latched: true }),
      depth: s.advertise(TOPICS.depth, 'sensor_msgs/msg/Image'),
      jointStates: s.advertise(TOPICS.jointStates, 'sensor_msgs/msg/JointState'),
      tf: s.advertise(TOPICS.tf, 'tf2_msgs/msg/TFMessage'),
      tfStatic: s.advertise(TOPICS.tfStatic, 'tf2_msgs/msg/TFMessage', { latched: true }),
      robotDescription: s.advertise(TOPICS.robotDescription, 'std_msgs/msg/String', { latched: true }),
      instruction: s.advertise(TOPICS.instruction, 'std_msgs/msg/String', { latched: true }),
      success: s.advertise(TOPICS.success, 'std_msgs/msg/Bool', { latched: true }),
      status: s.advertise(TOPICS.status, 'std_msgs/msg/String', { latched: true }),
    };
    s.onPublish(TOPICS.twist, 'geometry_msgs/msg/TwistStamped', (msg) => {
      const checked = checkTwistStamped(msg);
      if (!checked.ok) return checked.error;
      const frame = checked.value.header.frame_id;
      if (frame && frame !== 'base_link') return `twist must be in base_link, got frame_id "${frame}"`;
      const { linear: l, angular: a } = checked.value.twist;
      // A command older than this was queued somewhere (this process frozen, a congested link):
      // acting on it now would move the arm long after the operator stopped. Dropped and counted.
      const stampMs = checked.value.header.stampMs;
      if (stampMs > 0 && Date.now() - stampMs > this.opts.maxCommandAgeMs) return void this.staleCommands++;
      if (!this.resetting) this.sim.controller.commandTwist({ linear: [l.x, l.y, l.z], angular: [a.x, a.y, a.z] }, performance.now() / 1000);
    });
    s.onPublish(TOPICS.gripper, 'std_msgs/msg/Float64', (msg) => {
      const checked = checkFloat64(msg);
      if (!checked.ok) return checked.error;
      if (!this.resetting) this.sim.controller.commandGripper(checked.value.data);
    });
    s.advertiseService(SERVICES.reset, RESET_SERVICE_TYPE, (args) => {
      // One reset at a time: a second caller waits for the first scene to be loaded.
      const next = this.resetQueue.then(() => this.handleReset(args as ResetRequest));
      this.resetQueue = next.catch(() => undefined);
      return next;
    });
    s.advertiseService(SERVICES.state, 'path_studio_sim/srv/GetState', () => this.privilegedState());
    // rosapi, as rosbridge_suite runs it beside rosbridge_server (sim/src/rosbridge/rosapi.ts).
    const fixed = (get: () => unknown) => ({ get });
    registerRosapi(s, {
      node: SIM_NODE,
      params: {
        camera_hz: fixed(() => this.opts.cameraHz), state_hz: fixed(() => this.opts.stateHz),
        width: fixed(() => this.opts.width), height: fixed(() => this.opts.height),
        seed: fixed(() => this.opts.seed), split: fixed(() => this.opts.split),
        tasks: fixed(() => this.opts.tasks ?? ['pick_place', 'press_button', 'knock_down']),
        max_command_age_ms: {
          get: () => this.opts.maxCommandAgeMs,
          set: (v) => {
            if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return `must be a positive number of milliseconds, got ${JSON.stringify(v)}`;
            this.opts.maxCommandAgeMs = v;
          },
        },
      },
      // The sim's services as .srv text (message_details / service_*_details). Reset's explicit
      // `scene` object (docs/SIM.md) has no .srv form; the seed fields are listed.
      messages: { 'path_studio_sim/msg/ObjectState': 'string id\nstring shape\nfloat64[3] position\nfloat64[9] rotation' },
      services: {
        [RESET_SERVICE_TYPE]: 'int64 seed\nstring[] tasks\nstring split\n---\nbool success\nstring message\nint64 seed\nstring task\nstring instruction\nstring scene_json',
        'path_studio_sim/srv/GetState': '---\nfloat64 time\nbool success\nfloat64[3] ee_position\nfloat64[9] ee_rotation\nfloat64 gripper\nfloat64[] joints\npath_studio_sim/ObjectState[] objects\nstring scene_json',
      },
    });
  }

  static async start(options: SimNodeOptions): Promise<SimNode> {
    const node = new SimNode(options);
    node.seed = node.opts.seed;
    node.sim = await Simulation.create(node.drawScene(node.seed, node.opts.tasks, node.opts.split), node.opts.limits);
    node.afterReset();
    node.pub.robotDescription.publish({ data: armUrdf() });
    node.port = await node.server.listen(options.port, node.opts.host);
    node.timer = setInterval(() => node.tick(), 4);
    return node;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.server.close();
    this.sim.dispose();
  }

  get simulation(): Simulation { return this.sim; }
  get cameraModel(): CameraModel { return this.camera; }

  private drawScene(seed: number, tasks?: TaskKind[], split?: Split): SceneSpec {
    return sampleScene(seed, { tasks, split, width: this.opts.width, height: this.opts.height });
  }

  private async handleReset(req: ResetRequest): Promise<Record<string, unknown>> {
    if (typeof req !== 'object' || req === null) throw new Error('reset request must be an object');
    let scene: SceneSpec;
    if (req.scene) {
      const problems = validateScene(req.scene as SceneSpec);
      if (problems.length) throw new Error(`invalid scene: ${problems.join('; ')}`);
      scene = completeScene(req.scene);
      scene.camera = { ...scene.camera, width: this.opts.width, height: this.opts.height };
    } else {
      if (req.seed !== undefined && (typeof req.seed !== 'number' || !Number.isInteger(req.seed))) throw new Error('seed must be an integer');
      if (req.split !== undefined && req.split !== 'train' && req.split !== 'heldout') throw new Error('split must be "train" or "heldout"');
      const tasks = req.tasks?.filter((t) => ['pick_place', 'press_button', 'knock_down'].includes(t));
      this.seed = req.seed ?? this.seed + 1;
      scene = this.drawScene(this.seed, tasks, req.split ?? this.opts.split);
    }
    this.resetting = true;
    try {
      await this.sim.reset(scene);
    } finally {
      this.resetting = false;
    }
    this.episode++;
    this.afterReset();
    return { success: true, message: '', seed: scene.seed ?? -1, task: scene.task.kind, instruction: scene.task.instruction, scene_json: JSON.stringify(scene) };
  }

  private afterReset(): void {
    const scene = this.sim.scene;
    this.camera = new CameraModel(scene.camera);
    this.rasterizer = new Rasterizer(this.sim.physics.geoms, this.camera.width, this.camera.height, (g) => g.name === 'floor');
    this.wallStart = performance.now() / 1000;
    this.stepsRun = 0;
    this.lastSuccess = false;
    const stamp = rosNow();
    this.pub.tfStatic.publish({ transforms: [cameraTransform(stamp, this.camera)] });
    this.pub.cameraInfo.publish(cameraInfo(stamp, this.camera));
    this.pub.instruction.publish({ data: scene.task.instruction });
    this.pub.success.publish({ data: false });
    this.publishStatus(this.wallStart);
  }

  private tick(): void {
    if (this.resetting) return;
    const now = performance.now() / 1000;
    let n = 0;
    while (this.wallStart + (this.stepsRun + 1) * CONTROL_PERIOD <= now && n < MAX_STEPS_PER_TICK) {
      this.sim.step(now);
      this.stepsRun++;
      n++;
    }
    // Too far behind (a slow frame): run in slow motion instead of spiralling.
    if (now - (this.wallStart + this.stepsRun * CONTROL_PERIOD) > 0.1) this.wallStart = now - this.stepsRun * CONTROL_PERIOD;
    if (now - this.lastState >= 1 / this.opts.stateHz) { this.lastState = now; this.publishState(); }
    if (now - this.lastCamera >= 1 / this.opts.cameraHz) {
      // Keep the frame clock on its grid (no drift from tick granularity), but never bank frames.
      this.lastCamera = Math.max(this.lastCamera + 1 / this.opts.cameraHz, now - 0.5 / this.opts.cameraHz);
      this.publishCamera();
    }
    if (this.sim.success !== this.lastSuccess || now - this.lastStatus >= 0.2) {
      if (this.sim.success !== this.lastSuccess) this.pub.success.publish({ data: this.sim.success });
      this.lastSuccess = this.sim.success;
      this.publishStatus(now);
    }
  }

  private publishState(): void {
    const now = rosNow();
    if (this.pub.jointStates.hasSubscribers) {
      const vel = this.sim.armVelocities();
      this.pub.jointStates.publish(jointState(now, [...ARM_JOINTS, ...FINGER_JOINTS], [...this.sim.armJoints(), ...this.sim.fingerPositions()], [...vel, 0, 0]));
    }
    if (this.pub.tf.hasSubscribers) {
      this.pub.tf.publish({ transforms: [transformStamped(now, 'base_link', EE_FRAME, this.sim.eePosition(), this.sim.eeRotation())] });
    }
  }

  private publishCamera(): void {
    const now = rosNow();
    const wantImage = this.pub.image.hasSubscribers, wantDepth = this.pub.depth.hasSubscribers;
    if (!wantImage && !wantDepth) return;
    const { xpos, xmat } = this.sim.physics.geomPoses();
    const frame = this.rasterizer.render(this.camera, this.sim.scene.look, xpos, xmat);
    this.pub.cameraInfo.publish(cameraInfo(now, this.camera));
    if (wantImage) this.pub.image.publish(compressedImage(now, encodeJpeg(frame.rgb, frame.width, frame.height)));
    if (wantDepth) this.pub.depth.publish(depthImage(now, frame.depth, frame.width, frame.height));
  }

  private publishStatus(now: number): void {
    this.lastStatus = now;
    const scene = this.sim.scene;
    this.pub.status.publish({
      data: JSON.stringify({
        episode: this.episode, seed: scene.seed ?? null, task: scene.task.kind, instruction: scene.task.instruction,
        success: this.sim.success, time: +this.sim.time.toFixed(3), holding: this.sim.controller.isHolding,
        stale_commands: this.staleCommands,
      }),
    });
  }

  /** Privileged state for evaluators: end effector, gripper and every object's pose. */
  private privilegedState(): Record<string, unknown> {
    const objects = this.sim.scene.objects.map((o) => ({ id: o.id, shape: o.shape, position: this.sim.objectPosition(o.id), rotation: this.sim.objectRotation(o.id) }));
    return {
      time: this.sim.time, success: this.sim.success, ee_position: this.sim.eePosition(), ee_rotation: this.sim.eeRotation(),
      gripper: this.sim.gripperClosure(), joints: this.sim.armJoints(), objects, scene_json: JSON.stringify(this.sim.scene),
    };
  }
}
