/**
 * What every bag reader (MCAP file, rosbag2 folder with MCAP or SQLite storage) gives the rest of
 * the studio: topics with types and counts, the time span, raw messages in log-time order and a
 * decoder per topic. Pure: Blobs and Uint8Arrays in, no DOM.
 */

export interface BagTopic {
  name: string;
  /** As the bag spells it: `sensor_msgs/msg/Image` (ROS 2) or `sensor_msgs/Image` (ROS 1). */
  type: string;
  count: number;
  /** Message encoding: `cdr`, `ros1`, `json`… */
  encoding: string;
}

export interface BagMessage {
  topic: string;
  /** Receive (log) time in nanoseconds since the epoch. */
  logTimeNs: bigint;
  data: Uint8Array;
}

export interface MessageQuery {
  topics?: readonly string[];
  /** Inclusive. */
  startNs?: bigint;
  /** Inclusive. */
  endNs?: bigint;
}

export interface BagReader {
  format: 'mcap' | 'rosbag2';
  /** MCAP profile (`ros1`, `ros2`, or '' when the file names none); `ros2` for rosbag2. */
  profile: string;
  /** rosbag2 metadata version, or the MCAP writer's library string. */
  version: string;
  /** Storage of a rosbag2 folder (`mcap`, `sqlite3`); the same as format for a single file. */
  storage: string;
  topics: BagTopic[];
  startNs: bigint;
  endNs: bigint;
  /** Non-fatal problems found while opening (compression, missing files…). */
  problems: string[];
  messages(query?: MessageQuery): AsyncGenerator<BagMessage>;
  /** Decodes a message of a topic into a plain object; throws a clear error when it cannot. */
  decode(topic: string, data: Uint8Array): unknown;
  close(): Promise<void>;
}

/** A file to read: a Blob (browser File, Node Blob) or bytes already in memory. */
export type BagBytes = Blob | Uint8Array;

export class BagError extends Error {}

export async function bytesOf(b: BagBytes): Promise<Uint8Array> {
  return b instanceof Uint8Array ? b : new Uint8Array(await b.arrayBuffer());
}

export async function sliceOf(b: BagBytes, offset: number, length: number): Promise<Uint8Array> {
  return b instanceof Uint8Array ? b.subarray(offset, offset + length) : new Uint8Array(await b.slice(offset, offset + length).arrayBuffer());
}

export const sizeOf = (b: BagBytes): number => (b instanceof Uint8Array ? b.byteLength : b.size);

/** `sensor_msgs/msg/Image` and `sensor_msgs/Image` both become `sensor_msgs/Image`. */
export const baseType = (type: string): string => type.replace('/msg/', '/');
