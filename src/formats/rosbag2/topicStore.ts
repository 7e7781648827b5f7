/**
 * The messages of a bag's topics, read once and kept: log times for camera topics (their pixels
 * are read again only for the frames shown or imported), log times and decoded messages for the
 * rest, and one TF buffer for `/tf` + `/tf_static`. A changed choice on the import screen loads
 * only the topics it adds, in one pass over the bag, with progress and cancel.
 */
import type { BagReader } from '../mcap/bag';
import { IMAGE_TYPES, isOfType, TF_TYPES } from './messageTypes';
import { TfBuffer } from './tf';

export interface ReadProgress {
  /** Messages read so far of those the pass needs. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface StoredMessage {
  timeNs: bigint;
  msg: unknown;
}

/** How often (in messages) a pass reports progress and looks at the abort signal. */
const REPORT_EVERY = 256;

export class BagTopicStore {
  readonly tf: TfBuffer;
  private readonly times = new Map<string, bigint[]>();
  private readonly decoded = new Map<string, StoredMessage[]>();

  /** `tf` may come filled by describeRobot (which reads all of /tf): its topics are then not read again. */
  constructor(readonly bag: BagReader, tf?: TfBuffer) {
    this.tf = tf ?? new TfBuffer();
    if (tf) for (const t of bag.topics) if (isOfType(t, TF_TYPES)) this.times.set(t.name, []);
  }

  has(topic: string): boolean {
    return this.times.has(topic);
  }

  /** Reads the topics not read yet, in one pass. Nothing is kept from a pass that is cancelled or fails. */
  async load(topics: readonly (string | null | undefined)[], progress: ReadProgress = {}): Promise<void> {
    const known = new Map(this.bag.topics.map((t) => [t.name, t]));
    const missing = [...new Set(topics.filter((t): t is string => !!t && !this.times.has(t) && known.has(t)))];
    if (!missing.length) return;
    const isImage = new Set(missing.filter((t) => isOfType(known.get(t)!, IMAGE_TYPES)));
    const isTf = new Set(missing.filter((t) => isOfType(known.get(t)!, TF_TYPES)));
    const total = missing.reduce((n, t) => n + known.get(t)!.count, 0);
    const times = new Map(missing.map((t) => [t, [] as bigint[]]));
    const decoded = new Map(missing.filter((t) => !isImage.has(t)).map((t) => [t, [] as StoredMessage[]]));
    let done = 0;
    progress.signal?.throwIfAborted();
    progress.onProgress?.(0, total);
    for await (const m of this.bag.messages({ topics: missing })) {
      times.get(m.topic)!.push(m.logTimeNs);
      if (!isImage.has(m.topic)) decoded.get(m.topic)!.push({ timeNs: m.logTimeNs, msg: this.bag.decode(m.topic, m.data) });
      if (++done % REPORT_EVERY === 0) {
        progress.signal?.throwIfAborted();
        progress.onProgress?.(done, Math.max(total, done));
      }
    }
    progress.signal?.throwIfAborted();
    progress.onProgress?.(done, Math.max(total, done));
    for (const t of isTf) for (const r of decoded.get(t)!) this.tf.addMessage(r.msg, r.timeNs, t.endsWith('_static'));
    for (const [t, list] of times) this.times.set(t, list);
    for (const [t, list] of decoded) this.decoded.set(t, list);
  }

  /** Log times of a loaded topic ([] when it was not loaded or has no messages). */
  timesOf(topic: string): bigint[] {
    return this.times.get(topic) ?? [];
  }

  /** Decoded messages of a loaded, non-camera topic, in log-time order. */
  messagesOf(topic: string): StoredMessage[] {
    return this.decoded.get(topic) ?? [];
  }
}
