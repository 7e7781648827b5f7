/**
 * rosbag2's `metadata.yaml`, parsed with @foxglove/rosbag2's YAML reader (js-yaml, integers as
 * BigInt). Only what the studio needs: version, storage, the data files and topics with counts.
 */
import { parseYaml } from '@foxglove/rosbag2';
import { BagError } from '../mcap/bag';

export interface Rosbag2Metadata {
  version: number;
  storage: string;
  files: string[];
  topics: { name: string; type: string; serializationFormat: string; count: number }[];
  startNs: bigint;
  durationNs: bigint;
  compression: string;
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0);
const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.round(v)) : 0n);

export function parseRosbag2Metadata(text: string, where = 'metadata.yaml'): Rosbag2Metadata {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new BagError(`${where}: not valid YAML (${(e as Error).message.split('\n')[0]}).`);
  }
  const info = (doc as Record<string, unknown> | null)?.rosbag2_bagfile_information as Record<string, unknown> | undefined;
  if (!info || typeof info !== 'object') throw new BagError(`${where}: no “rosbag2_bagfile_information” section; this is not a rosbag2 metadata file.`);
  const topicsRaw = Array.isArray(info.topics_with_message_count) ? info.topics_with_message_count : [];
  const topics = topicsRaw.map((t: Record<string, unknown>) => {
    const m = (t.topic_metadata ?? {}) as Record<string, unknown>;
    return { name: String(m.name ?? ''), type: String(m.type ?? ''), serializationFormat: String(m.serialization_format ?? 'cdr'), count: num(t.message_count) };
  });
  const files = Array.isArray(info.relative_file_paths) ? info.relative_file_paths.map(String) : [];
  return {
    version: num(info.version),
    storage: String(info.storage_identifier ?? ''),
    files,
    topics,
    startNs: big((info.starting_time as Record<string, unknown> | undefined)?.nanoseconds_since_epoch),
    durationNs: big((info.duration as Record<string, unknown> | undefined)?.nanoseconds),
    compression: String(info.compression_format ?? ''),
  };
}
