/**
 * Message decoders by schema: ROS 2 (`ros2msg` schema, CDR) with @foxglove/rosmsg2-serialization,
 * ROS 1 (`ros1msg`, ros1 encoding) with ./ros1Reader (interpreted: no eval, see there), JSON as is. A topic without
 * a schema in the file (rosbag2 SQLite storage before Iron) is decoded with the ROS 2 common
 * message definitions of @foxglove/rosmsg-msgs-common.
 */
import { parse, type ParseOptions } from '@foxglove/rosmsg';
import { ros2jazzy } from '@foxglove/rosmsg-msgs-common';
import { MessageReader as Ros2Reader } from '@foxglove/rosmsg2-serialization';
import { BagError, baseType } from './bag';
import { Ros1MessageReader } from './ros1Reader';

export type Decoder = (data: Uint8Array) => unknown;

const utf8 = new TextDecoder();

export function decoderFor(opts: { topic: string; type: string; messageEncoding: string; schemaEncoding: string; schema: Uint8Array | null }): Decoder {
  const { topic, type, messageEncoding, schemaEncoding, schema } = opts;
  if (messageEncoding === 'json') return (data) => JSON.parse(utf8.decode(data));
  if (messageEncoding === 'cdr') {
    if (schema && schema.byteLength && schemaEncoding === 'ros2msg') return ros2FromText(utf8.decode(schema), { ros2: true }, topic);
    if (schema && schema.byteLength && schemaEncoding === 'ros2idl') throw new BagError(`${topic} (${type}): its schema is ROS 2 IDL, which the studio does not read; re-record it with .msg definitions.`);
    return ros2FromCommon(type, topic);
  }
  if (messageEncoding === 'ros1') {
    if (!schema || !schema.byteLength) throw new BagError(`${topic} (${type}): a ROS 1 message without its definition in the file cannot be decoded.`);
    const defs = parseDefs(utf8.decode(schema), {}, topic);
    const reader = new Ros1MessageReader(defs);
    return (data) => reader.readMessage(data);
  }
  throw new BagError(`${topic} (${type}): message encoding “${messageEncoding}” is not one the studio decodes (cdr, ros1, json).`);
}

function parseDefs(text: string, options: ParseOptions, topic: string) {
  try {
    return parse(text, options);
  } catch (e) {
    throw new BagError(`${topic}: its message definition does not parse (${(e as Error).message}).`);
  }
}

function ros2FromText(text: string, options: ParseOptions, topic: string): Decoder {
  const reader = new Ros2Reader(parseDefs(text, options, topic));
  return (data) => reader.readMessage(data);
}

let commonDefs: (typeof ros2jazzy)[keyof typeof ros2jazzy][] | null = null;

function ros2FromCommon(type: string, topic: string): Decoder {
  const name = baseType(type) as keyof typeof ros2jazzy;
  const root = ros2jazzy[name];
  if (!root) throw new BagError(`${topic} (${type}): the bag carries no definition for this type and it is not a ROS 2 common message; record with rosbag2 ≥ Iron (which stores definitions) or use MCAP storage.`);
  commonDefs ??= Object.values(ros2jazzy);
  const reader = new Ros2Reader([root, ...commonDefs]);
  return (data) => reader.readMessage(data);
}
