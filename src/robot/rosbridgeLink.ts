/**
 * The live robot: rosbridge v2 through roslib. One `Ros` per connection attempt — roslib's own
 * re-subscribe-on-reconnect would also replay queued publishes, and a velocity command sent seconds
 * late is exactly what a robot link must never do.
 *
 * Motion is never queued: a frozen robot process (SIGSTOP, a stuck executor) keeps its socket open
 * and the kernel keeps accepting bytes, which it would act on when it resumes. So a motion command
 * goes out only while the robot has spoken within `motionTimeoutMs` and the socket has drained its
 * last send (`bufferedAmount`), and every twist carries its send time for the robot to drop stale
 * ones. Zero twists always go out: a stop is never withheld.
 */
import { Ros, Service, Topic } from 'roslib';
import { DEFAULT_MAX_IMAGE_MEGAPIXELS, encodedImageSizeProblem } from '../core/imageLimits';
import { DEFAULT_BACKOFF, reconnectDelay, type BackoffOptions } from './backoff';
import { Emitter } from './emitter';
import { GuardedTransport, type SocketFactory, type SocketLike } from './guardedTransport';
import { msToStamp, parseBool, parseCameraInfo, parseCompressedImage, parseDepthImage, parseJointState, parseString, parseTfMessage } from './messages';
import type { RobotProfile } from './profile';
import type { LinkCounters, LinkEvents, LinkState, LinkStatus, ResetRequest, ResetResponse, RobotLink, Twist, Unsubscribe } from './types';
import { errorMessage } from '../core/errorMessage';

export interface RosbridgeLinkOptions {
  backoff?: BackoffOptions;
  /** No message at all for this long while connected = the link is dead (half-open sockets). */
  staleMs?: number;
  socketFactory?: SocketFactory;
  subscribeDepth?: boolean;
}

const browserSocket: SocketFactory = (url) => new WebSocket(url) as unknown as SocketLike;

export class RosbridgeLink implements RobotLink {
  private readonly events = new Emitter<LinkEvents>();
  private ros: Ros | null = null;
  private want = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private twistTopic: Topic | null = null;
  private gripperTopic: Topic | null = null;
  private lastMessageAt = 0;
  private transport: GuardedTransport | null = null;
  private silenceReported = false;
  private frameSeq = 0;
  private attempt = 0;
  readonly counters: LinkCounters = { received: 0, malformed: 0, oversized: 0, sentTwists: 0, sentGrippers: 0, refusedCommands: 0, withheldMotion: 0, maxSilenceAtMotionMs: 0 };
  status: LinkStatus;

  constructor(readonly profile: RobotProfile, private readonly opts: RosbridgeLinkOptions = {}) {
    this.status = { state: 'idle', url: profile.url, attempt: 0, since: performance.now() };
  }

  on<K extends keyof LinkEvents>(event: K, handler: (value: LinkEvents[K]) => void): Unsubscribe {
    return this.events.on(event, handler);
  }

  connect(): void {
    this.want = true;
    this.attempt = 0;
    if (!this.ros) this.open();
  }

  disconnect(): void {
    this.want = false;
    if (this.status.state === 'connected') this.sendTwist({ linear: [0, 0, 0], angular: [0, 0, 0] });
    this.teardown();
    this.setStatus('closed', 'disconnected by the operator');
  }

  /**
   * May a motion command go out now? Counts what it withholds, and the longest silence it let a
   * command through at (the safety figure the tests read).
   */
  private motionAllowed(): boolean {
    const silence = performance.now() - this.lastMessageAt;
    if (silence > this.profile.motionTimeoutMs || (this.transport?.bufferedAmount ?? 0) > 0) {
      this.counters.withheldMotion++;
      return false;
    }
    this.counters.maxSilenceAtMotionMs = Math.max(this.counters.maxSilenceAtMotionMs, silence);
    return true;
  }

  sendTwist(t: Twist): boolean {
    if (this.status.state !== 'connected' || !this.twistTopic) {
      this.counters.refusedCommands++;
      return false;
    }
    const moving = t.linear.some((v) => v !== 0) || t.angular.some((v) => v !== 0);
    if (moving && !this.motionAllowed()) return false;
    const [x, y, z] = t.linear, [ax, ay, az] = t.angular;
    this.twistTopic.publish({
      header: { stamp: msToStamp(Date.now()), frame_id: this.profile.baseFrame },
      twist: { linear: { x, y, z }, angular: { x: ax, y: ay, z: az } },
    });
    this.counters.sentTwists++;
    return true;
  }

  sendGripper(v: number): boolean {
    if (this.status.state !== 'connected' || !this.gripperTopic) {
      this.counters.refusedCommands++;
      return false;
    }
    if (!this.motionAllowed()) return false;
    this.gripperTopic.publish({ data: v });
    this.counters.sentGrippers++;
    return true;
  }

  reset(req: ResetRequest): Promise<ResetResponse> {
    const ros = this.ros;
    if (!ros || this.status.state !== 'connected' || !this.profile.resetService) return Promise.reject(new Error('not connected, or the robot has no reset service'));
    const service = new Service({ ros, name: this.profile.resetService, serviceType: 'path_studio_sim/srv/Reset' });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('reset timed out after 15 s')), 15_000);
      service.callService(req, (r) => {
        clearTimeout(timer);
        const v = r as Record<string, unknown>;
        resolve({ seed: Number(v.seed), task: String(v.task), instruction: String(v.instruction) });
      }, (e) => {
        clearTimeout(timer);
        reject(new Error(String(e)));
      });
    });
  }

  private open(): void {
    this.setStatus(this.attempt > 0 ? 'reconnecting' : 'connecting');
    const socketFactory = this.opts.socketFactory ?? browserSocket;
    const ros = new Ros({
      transportFactory: async (url) => {
        const transport = new GuardedTransport(
          socketFactory(url),
          this.profile.maxMessageBytes,
          () => { this.counters.oversized++; },
          () => { this.counters.malformed++; },
          () => {
            if (ros !== this.ros) return;
            this.lastMessageAt = performance.now();
            this.silenceReported = false;
            this.attempt = 0;
          },
          this.profile.motionTimeoutMs,
        );
        if (ros === this.ros) this.transport = transport;
        return transport;
      },
    });
    this.ros = ros;
    ros.on('connection', () => {
      if (ros !== this.ros) return;
      // The backoff restarts only once the robot has spoken (see onAnyMessage): a server that
      // accepts the socket but stays silent would otherwise be retried every 3 s for ever.
      this.lastMessageAt = performance.now();
      this.subscribeAll(ros);
      this.setStatus('connected');
      this.startWatchdog();
    });
    ros.on('close', () => {
      if (ros === this.ros) this.dropped(this.status.state === 'connected' ? 'the robot closed the connection' : `cannot reach ${this.profile.url}`);
    });
    ros.connect(this.profile.url).catch((err: unknown) => {
      if (ros === this.ros) this.dropped(`cannot open ${this.profile.url}: ${errorMessage(err)}`);
    });
  }

  /** The connection is gone: tell the console at once, then retry with backoff while wanted. */
  private dropped(reason: string): void {
    this.teardown();
    if (!this.want) return this.setStatus('closed', reason);
    this.attempt++;
    const delay = reconnectDelay(this.attempt, this.opts.backoff ?? DEFAULT_BACKOFF);
    this.setStatus('reconnecting', reason, performance.now() + delay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.want && !this.ros) this.open();
    }, delay);
  }

  private teardown(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.retryTimer = this.watchdog = null;
    const ros = this.ros;
    this.ros = null;
    this.transport = null;
    this.twistTopic = this.gripperTopic = null;
    if (ros) {
      ros.removeAllListeners();
      try {
        ros.close();
      } catch {
        /* already closed */
      }
    }
  }

  private startWatchdog(): void {
    const staleMs = this.opts.staleMs ?? 3000;
    const period = 50;
    // Silence is judged up to the previous tick, not up to now: messages that arrived while the page
    // was busy (a long task, software 3D rendering on a loaded machine) may be queued behind this
    // timer, but anything that arrived before the previous tick has been handled by now. So a busy
    // page never reads as a silent robot, and a frozen robot is still found one tick later, however
    // late the ticks run. (Motion is judged from the last message alone: withholding is harmless.)
    let previousTick = performance.now();
    this.silenceReported = false;
    this.watchdog = setInterval(() => {
      const judgedAt = previousTick;
      previousTick = performance.now();
      if (this.status.state !== 'connected') return;
      const silence = judgedAt - this.lastMessageAt;
      if (silence > staleMs) return this.dropped(`no message from the robot for ${(staleMs / 1000).toFixed(1)} s`);
      if (silence > this.profile.silenceStopMs && !this.silenceReported) {
        this.silenceReported = true;
        this.events.emit('silence', silence);
      }
    }, period);
  }

  private subscribeAll(ros: Ros): void {
    const t = this.profile.topics;
    const sub = <T>(name: string, messageType: string, parse: (m: unknown) => T | null, deliver: (v: T) => void, extra: Partial<{ compression: string; queue_length: number; throttle_rate: number }> = {}) => {
      if (!name) return;
      const topic = new Topic({ ros, name, messageType, reconnect_on_close: false, ...extra });
      topic.subscribe((msg) => {
        if (ros !== this.ros) return;
        this.lastMessageAt = performance.now();
        this.counters.received++;
        const v = parse(msg);
        if (v === null) this.counters.malformed++;
        else deliver(v);
      });
    };
    sub(t.image, 'sensor_msgs/msg/CompressedImage', parseCompressedImage, (m) => {
      if (m.data.length > this.profile.maxMessageBytes) return void this.counters.oversized++;
      // Pixels too, from the header: a few bytes may claim 60000×60000 (the view and the decoder would try).
      if (encodedImageSizeProblem(m.data, DEFAULT_MAX_IMAGE_MEGAPIXELS * 1e6, 'the camera frame')) return void this.counters.oversized++;
      this.events.emit('frame', { ...m, receivedAt: performance.now(), seq: ++this.frameSeq });
    }, { compression: 'cbor', queue_length: 1 });
    sub(t.cameraInfo, 'sensor_msgs/msg/CameraInfo', parseCameraInfo, (m) => this.events.emit('cameraInfo', m), { throttle_rate: 1000, queue_length: 1 });
    if (this.opts.subscribeDepth !== false) {
      sub(t.depth, 'sensor_msgs/msg/Image', parseDepthImage, (m) => this.events.emit('depth', { ...m, receivedAt: performance.now() }), { compression: 'cbor', queue_length: 1, throttle_rate: 1000 });
    }
    sub(t.jointStates, 'sensor_msgs/msg/JointState', parseJointState, (m) => this.events.emit('jointStates', { ...m, receivedAt: performance.now() }), { queue_length: 1 });
    sub(t.tf, 'tf2_msgs/msg/TFMessage', parseTfMessage, (m) => this.events.emit('tf', m), { queue_length: 1 });
    sub(t.tfStatic, 'tf2_msgs/msg/TFMessage', parseTfMessage, (m) => this.events.emit('tfStatic', m));
    sub(t.robotDescription, 'std_msgs/msg/String', parseString, (m) => this.events.emit('robotDescription', m));
    sub(t.instruction, 'std_msgs/msg/String', parseString, (m) => this.events.emit('instruction', m));
    sub(t.success, 'std_msgs/msg/Bool', parseBool, (m) => this.events.emit('success', m));
    this.twistTopic = new Topic({ ros, name: t.twist, messageType: 'geometry_msgs/msg/TwistStamped', reconnect_on_close: false });
    this.gripperTopic = new Topic({ ros, name: t.gripper, messageType: 'std_msgs/msg/Float64', reconnect_on_close: false });
    this.twistTopic.advertise();
    this.gripperTopic.advertise();
  }

  private setStatus(state: LinkState, error?: string, nextRetryAt?: number): void {
    const now = performance.now();
    const lostAt = state === 'connected' ? undefined : this.status.state === 'connected' ? now : this.status.lostAt;
    this.status = { state, url: this.profile.url, error, attempt: this.attempt, nextRetryAt, since: now, lostAt };
    this.events.emit('status', this.status);
  }
}
