/**
 * rosbridge v2 protocol, pure functions: decode a client frame (JSON text or CBOR binary), check an
 * operation's fields, encode outgoing messages (JSON, with uint8[] as base64 as rosbridge does, or
 * CBOR with uint8[] as byte strings for `compression: "cbor"`).
 */
import { Decoder, Encoder } from 'cbor-x';

export type Compression = 'none' | 'cbor';

export interface AdvertiseOp { op: 'advertise'; topic: string; type: string; id?: string }
export interface UnadvertiseOp { op: 'unadvertise'; topic: string; id?: string }
export interface PublishOp { op: 'publish'; topic: string; msg: Record<string, unknown>; id?: string }
export interface SubscribeOp {
  op: 'subscribe'; topic: string; type?: string; id?: string;
  throttle_rate?: number; queue_length?: number; fragment_size?: number; compression?: string;
}
export interface UnsubscribeOp { op: 'unsubscribe'; topic: string; id?: string }
export interface CallServiceOp { op: 'call_service'; service: string; args?: unknown; id?: string; type?: string }
export interface SetLevelOp { op: 'set_level'; level: string; id?: string }
export type ClientOp = AdvertiseOp | UnadvertiseOp | PublishOp | SubscribeOp | UnsubscribeOp | CallServiceOp | SetLevelOp;

export interface StatusMessage { op: 'status'; level: 'error' | 'warning' | 'info'; msg: string; id?: string }

const cborEncoder = new Encoder({ useRecords: false, tagUint8Array: false, mapsAsObjects: true });
const cborDecoder = new Decoder({ useRecords: false, mapsAsObjects: true });

export type Decoded = { ok: true; value: unknown } | { ok: false; error: string };

/** Parses one WebSocket frame. Text frames are JSON; binary frames are CBOR (or JSON bytes). */
export function decodeFrame(data: Buffer | ArrayBuffer | Buffer[] | string, isBinary: boolean): Decoded {
  try {
    if (!isBinary) return { ok: true, value: JSON.parse(typeof data === 'string' ? data : Buffer.from(data as Buffer).toString('utf8')) };
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    return { ok: true, value: cborDecoder.decode(bytes) };
  } catch (err) {
    return { ok: false, error: `${isBinary ? 'CBOR' : 'JSON'} decode failed: ${(err as Error).message}` };
  }
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown) => v === undefined || isStr(v);
const optNum = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v) && v >= 0);

/** Validates the envelope of an operation (not the ROS message inside). */
export function parseOp(value: unknown): { ok: true; op: ClientOp } | { ok: false; error: string; id?: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'message must be an object with an "op" field' };
  const m = value as Record<string, unknown>;
  const id = isStr(m.id) ? m.id : undefined;
  const bad = (error: string) => ({ ok: false as const, error, id });
  if (!isStr(m.op)) return bad('missing "op"');
  if (!optStr(m.id)) return bad('"id" must be a string');
  switch (m.op) {
    case 'advertise':
      return isStr(m.topic) && isStr(m.type) ? { ok: true, op: m as unknown as AdvertiseOp } : bad('advertise needs "topic" and "type" strings');
    case 'unadvertise':
    case 'unsubscribe':
      return isStr(m.topic) ? { ok: true, op: m as unknown as UnadvertiseOp | UnsubscribeOp } : bad(`${m.op} needs a "topic" string`);
    case 'publish':
      if (!isStr(m.topic)) return bad('publish needs a "topic" string');
      if (typeof m.msg !== 'object' || m.msg === null || Array.isArray(m.msg)) return bad('publish needs a "msg" object');
      return { ok: true, op: m as unknown as PublishOp };
    case 'subscribe':
      if (!isStr(m.topic)) return bad('subscribe needs a "topic" string');
      if (!optStr(m.type) || !optStr(m.compression)) return bad('subscribe: "type" and "compression" must be strings');
      if (!optNum(m.throttle_rate) || !optNum(m.queue_length) || !optNum(m.fragment_size)) return bad('subscribe: throttle_rate, queue_length and fragment_size must be non-negative numbers');
      return { ok: true, op: m as unknown as SubscribeOp };
    case 'call_service':
      return isStr(m.service) ? { ok: true, op: m as unknown as CallServiceOp } : bad('call_service needs a "service" string');
    case 'set_level':
      return { ok: true, op: m as unknown as SetLevelOp };
    default:
      return bad(`unknown op "${m.op}"`);
  }
}

/** ROS 1 and ROS 2 spellings of a type name are the same type: "std_msgs/String" = "std_msgs/msg/String". */
export function normalizeType(type: string): string {
  return type.replace(/\/(msg|srv)\//, '/');
}

/** Relative names resolve in the root namespace, as rosbridge does: "rosapi/topics" = "/rosapi/topics". */
export function resolveName(name: string): string {
  return name.startsWith('/') ? name : `/${name}`;
}

function base64Replacer(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : value;
}

/** Encodes an outgoing message: a JSON string, or a CBOR byte frame for `compression: "cbor"`. */
export function encodeOutgoing(message: object, compression: Compression): string | Buffer {
  if (compression === 'cbor') return cborEncoder.encode(message);
  return JSON.stringify(message, base64Replacer);
}

export function status(level: StatusMessage['level'], msg: string, id?: string): StatusMessage {
  return id === undefined ? { op: 'status', level, msg } : { op: 'status', level, msg, id };
}
