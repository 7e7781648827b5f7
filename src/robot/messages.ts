/**
 * Pure checks of incoming ROS messages (rosbridge JSON/CBOR shapes, ROS 1 and ROS 2 spellings).
 * Each returns the typed value or `null`: a malformed message is dropped and counted by the link,
 * never thrown into the page.
 */
import type { CameraInfo, FrameTransform, Quat, Vec3 } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const numArray = (v: unknown): number[] | null => {
  if (Array.isArray(v)) return v.every(isNum) ? (v as number[]) : null;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return null;
};

/** ROS 2 `{sec, nanosec}` or ROS 1 `{secs, nsecs}` → ms since the epoch; 0 when missing. */
export function stampToMs(header: unknown): number {
  if (!isObj(header) || !isObj(header.stamp)) return 0;
  const s = header.stamp;
  const sec = isNum(s.sec) ? s.sec : isNum(s.secs) ? s.secs : 0;
  const ns = isNum(s.nanosec) ? s.nanosec : isNum(s.nsecs) ? s.nsecs : 0;
  return sec * 1000 + ns / 1e6;
}

export function msToStamp(ms: number): { sec: number; nanosec: number } {
  const sec = Math.floor(ms / 1000);
  return { sec, nanosec: Math.round((ms - sec * 1000) * 1e6) };
}

/** `uint8[]` arrives as a CBOR byte string (Uint8Array), as base64 in JSON, or as a plain number list. */
export function bytesOf(v: unknown): Uint8Array | null {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === 'string') {
    try {
      const bin = atob(v);
      const out = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out;
    } catch {
      return null;
    }
  }
  if (Array.isArray(v) && v.every((x) => isNum(x) && x >= 0 && x < 256)) return Uint8Array.from(v as number[]);
  return null;
}

export function parseCompressedImage(msg: unknown): { data: Uint8Array; format: string; stampMs: number } | null {
  if (!isObj(msg)) return null;
  const data = bytesOf(msg.data);
  if (!data || data.length < 4) return null;
  const format = typeof msg.format === 'string' ? msg.format : '';
  return { data, format, stampMs: stampToMs(msg.header) };
}

export function parseCameraInfo(msg: unknown): CameraInfo | null {
  if (!isObj(msg)) return null;
  const k = numArray(msg.k ?? msg.K);
  const { width, height } = msg;
  if (!k || k.length !== 9 || !isNum(width) || !isNum(height) || width <= 0 || height <= 0) return null;
  const frameId = isObj(msg.header) && typeof msg.header.frame_id === 'string' ? msg.header.frame_id : '';
  return { width, height, k, frameId };
}

export function parseDepthImage(msg: unknown): { width: number; height: number; depth: Float32Array } | null {
  if (!isObj(msg) || msg.encoding !== '32FC1' || !isNum(msg.width) || !isNum(msg.height)) return null;
  const bytes = bytesOf(msg.data);
  const n = msg.width * msg.height;
  if (!bytes || bytes.length !== n * 4 || msg.is_bigendian) return null;
  // Copy into an aligned buffer (a CBOR byte string may sit at any offset).
  const aligned = new Uint8Array(n * 4);
  aligned.set(bytes);
  return { width: msg.width, height: msg.height, depth: new Float32Array(aligned.buffer) };
}

export function parseJointState(msg: unknown): { names: string[]; positions: number[] } | null {
  if (!isObj(msg) || !Array.isArray(msg.name)) return null;
  const names = msg.name;
  const positions = numArray(msg.position);
  if (!names.every((n) => typeof n === 'string') || !positions || positions.length !== names.length) return null;
  return { names: names as string[], positions };
}

function parseTransform(t: unknown): FrameTransform | null {
  if (!isObj(t) || !isObj(t.header) || !isObj(t.transform)) return null;
  const { translation: tr, rotation: q } = t.transform;
  if (!isObj(tr) || !isObj(q) || typeof t.child_frame_id !== 'string' || typeof t.header.frame_id !== 'string') return null;
  const translation = [tr.x, tr.y, tr.z];
  const rotation = [q.x, q.y, q.z, q.w];
  if (!translation.every(isNum) || !rotation.every(isNum)) return null;
  return { parent: t.header.frame_id.replace(/^\//, ''), child: t.child_frame_id.replace(/^\//, ''), translation: translation as Vec3, rotation: rotation as Quat };
}

export function parseTfMessage(msg: unknown): FrameTransform[] | null {
  if (!isObj(msg) || !Array.isArray(msg.transforms)) return null;
  const out: FrameTransform[] = [];
  for (const t of msg.transforms) {
    const parsed = parseTransform(t);
    if (!parsed) return null;
    out.push(parsed);
  }
  return out;
}

export function parseString(msg: unknown): string | null {
  return isObj(msg) && typeof msg.data === 'string' ? msg.data : null;
}

export function parseBool(msg: unknown): boolean | null {
  return isObj(msg) && typeof msg.data === 'boolean' ? msg.data : null;
}

/** Byte size of a raw WebSocket payload (text is counted in UTF-16 units: close enough for a limit). */
export function rawSize(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
  return 0;
}
