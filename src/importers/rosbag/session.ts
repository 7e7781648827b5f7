/**
 * An opened ROS bag that can be read as episodes again and again with other choices
 * (BagImportOptions): the bag, its description and the topics already read stay in memory, so a
 * new choice reads only the topics it adds. Each EpisodeSource it makes holds a reference; the bag
 * closes when the last holder lets go.
 */
import sqlWasmUrl from '@foxglove/sql.js/dist/sql-wasm.wasm?url';
import { BagError, type BagReader } from '../../formats/mcap/bag';
import { noCameraMessage } from '../../formats/rosbag2/inspect';
import { openBag } from '../../formats/rosbag2/open';
import { resolveBagOptions, type BagImportOptions } from '../../formats/rosbag2/options';
import { describeRobot, type RobotDescription } from '../../formats/rosbag2/robot';
import { assembleSeries, topicsOfPlan } from '../../formats/rosbag2/series';
import { TfBuffer } from '../../formats/rosbag2/tf';
import { BagTopicStore, type ReadProgress } from '../../formats/rosbag2/topicStore';
import { DatasetError } from '../lerobot/dataset';
import type { DatasetFiles, EpisodeSource } from '../episodes/source';
import type { BagFacts } from './facts';
import { bagEpisodeSource } from './episodeSource';

const asDatasetError = (e: unknown) => (e instanceof BagError ? new DatasetError(e.message) : e);

export class BagSession {
  private refs = 0;
  private closed = false;

  private constructor(
    readonly name: string,
    private readonly bag: BagReader,
    readonly description: RobotDescription,
    private readonly store: BagTopicStore,
  ) {}

  /** Opens and describes the bag (reads /tf whole and the first message of each camera, info and joint topic). */
  static async open(files: DatasetFiles): Promise<BagSession> {
    let bag: BagReader;
    try {
      bag = await openBag(files, { locateFile: () => sqlWasmUrl });
    } catch (e) {
      throw asDatasetError(e);
    }
    try {
      const tf = new TfBuffer();
      const desc = await describeRobot(bag, tf);
      if (!desc.cameras.length) throw new DatasetError(noCameraMessage(files.name, bag.topics));
      return new BagSession(files.name, bag, desc, new BagTopicStore(bag, tf));
    } catch (e) {
      await bag.close();
      throw asDatasetError(e);
    }
  }

  /** The bag as episodes with these choices; reads the topics they add (with progress, cancelled by the signal). */
  async read(options: BagImportOptions, progress: ReadProgress = {}): Promise<EpisodeSource> {
    if (this.closed) throw new Error(`${this.name} is closed.`);
    this.refs++;
    try {
      const plan = resolveBagOptions(this.description, options, this.name);
      await this.store.load(topicsOfPlan(this.bag, this.description, plan), progress);
      const series = assembleSeries(this.store, this.description, plan, this.name);
      const d = this.description, bag = this.bag;
      const facts: BagFacts = {
        profile: bag.profile, storage: bag.storage, topics: bag.topics.map((t) => ({ name: t.name, type: t.type, count: t.count })),
        cameras: d.cameras, infoTopics: d.infoTopics, eeChoices: d.eeChoices, gripperChoices: d.gripperChoices,
        otherGripperSignals: d.otherGripperSignals, markerTopics: d.markerTopics, plan,
      };
      let released = false;
      const source = bagEpisodeSource(bag, this.name, series, [...bag.problems, ...series.problems], facts, () => {
        if (released) return;
        released = true;
        this.release();
      });
      sessions.set(source, this);
      return source;
    } catch (e) {
      this.release();
      throw asDatasetError(e);
    }
  }

  /** Keeps the bag open while the caller may read it again (pair with release). */
  retain(): void {
    this.refs++;
  }

  release(): void {
    if (--this.refs > 0 || this.closed) return;
    this.closed = true;
    void this.bag.close();
  }
}

const sessions = new WeakMap<EpisodeSource, BagSession>();

/** The session a bag source was read from (to read it again with other choices), or null for other sources. */
export function bagSessionOf(source: EpisodeSource): BagSession | null {
  return sessions.get(source) ?? null;
}
