/**
 * The import screen's choices for a ROS bag, headless: camera, CameraInfo, end effector, gripper
 * and episode cut. A change re-reads the bag with the new choices (only the topics they add; see
 * BagSession), with progress and cancel; the screen shows the source of the latest read that
 * finished. A failed read keeps the previous source and says why; a cancelled one keeps it silently
 * (the user asked for it).
 */
import { SnapshotStore } from '../../core/snapshotStore';
import type { BagImportOptions } from '../../formats/rosbag2/options';
import type { RobotPlan } from '../../formats/rosbag2/robot';
import type { ReadProgress } from '../../formats/rosbag2/topicStore';
import type { EpisodeSource } from '../../importers/episodes/source';
import { errorMessage } from '../../core/errorMessage';

/** What the controller needs of a bag session (src/importers/rosbag/session.ts). */
export interface BagRereader {
  read(options: BagImportOptions, progress: ReadProgress): Promise<EpisodeSource>;
  retain(): void;
  release(): void;
}

export interface BagChoicesSnapshot {
  /** The source read with `plan`. */
  source: EpisodeSource;
  /** Counts the sources shown so far (a new one resets the screen below the choices). */
  generation: number;
  /** The choices `source` was read with. */
  plan: RobotPlan;
  /** A read in progress: the choices asked for and messages read of those it needs. */
  pending: { options: BagImportOptions; done: number; total: number } | null;
  /** Why the last read failed (the previous source stays). */
  error: string | null;
}

const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';

export class BagChoicesController extends SnapshotStore<BagChoicesSnapshot> {
  private reading: AbortController | null = null;
  private disposed = false;

  /** Takes over `source` (it is closed when replaced or on dispose). */
  constructor(private readonly session: BagRereader, source: EpisodeSource) {
    if (!source.bag) throw new Error(`${source.name} is not a ROS bag source.`);
    super({ source, generation: 0, plan: source.bag.plan, pending: null, error: null });
    session.retain();
  }

  /**
   * Re-reads with `change` applied to the current choices (those of a read in progress, else those
   * shown). A new camera without a CameraInfo choice takes that camera's paired CameraInfo.
   */
  choose(change: BagImportOptions): Promise<void> {
    const { pending, plan } = this.getSnapshot();
    const base: BagImportOptions = { ...(pending?.options ?? plan) };
    if (change.camera !== undefined && !('infoTopic' in change)) delete base.infoTopic;
    return this.read({ ...base, ...change });
  }

  /** Stops the read in progress; the choices shown stay as they were. */
  cancel(): void {
    if (!this.reading) return;
    this.reading.abort();
    this.reading = null;
    this.set({ pending: null });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.reading?.abort();
    this.reading = null;
    this.getSnapshot().source.close();
    this.session.release();
  }

  private async read(options: BagImportOptions): Promise<void> {
    if (this.disposed) return;
    this.reading?.abort();
    const ac = new AbortController();
    this.reading = ac;
    this.set({ pending: { options, done: 0, total: 0 }, error: null });
    try {
      const source = await this.session.read(options, {
        signal: ac.signal,
        onProgress: (done, total) => { if (this.reading === ac) this.set({ pending: { options, done, total } }); },
      });
      if (this.reading !== ac || this.disposed) { source.close(); return; }
      this.reading = null;
      const { source: old, generation } = this.getSnapshot();
      this.set({ source, plan: source.bag!.plan, generation: generation + 1, pending: null, error: null });
      old.close();
    } catch (e) {
      if (this.reading !== ac) return;
      this.reading = null;
      this.set({ pending: null, error: isAbort(e) ? null : errorMessage(e) });
    }
  }
}
