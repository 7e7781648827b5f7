/**
 * Field checks for the ROS message types clients send us. rosbridge fills missing fields with
 * defaults and rejects wrongly typed ones; we do the same for the types we consume.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export interface TwistStamped {
  /** `stampMs`: the header's time in ms since the Unix epoch; 0 = not stamped (ROS's "unknown"). */
  header: { frame_id: string; stampMs: number };
  twist: { linear: { x: number; y: number; z: number }; angular: { x: number; y: number; z: number } };
}

function num(v: unknown, path: string, errors: string[]): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v)) { errors.push(`${path} must be a finite number`); return 0; }
  return v;
}

function obj(v: unknown, path: string, errors: string[]): Record<string, unknown> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) { errors.push(`${path} must be an object`); return {}; }
  return v as Record<string, unknown>;
}

function vector3(v: unknown, path: string, errors: string[]) {
  const o = obj(v, path, errors);
  return { x: num(o.x, `${path}.x`, errors), y: num(o.y, `${path}.y`, errors), z: num(o.z, `${path}.z`, errors) };
}

export function checkTwistStamped(msg: unknown): Checked<TwistStamped> {
  const errors: string[] = [];
  const m = obj(msg, 'msg', errors);
  const header = obj(m.header, 'header', errors);
  if (header.frame_id !== undefined && typeof header.frame_id !== 'string') errors.push('header.frame_id must be a string');
  const twist = obj(m.twist, 'twist', errors);
  // ROS 2 spells the stamp sec/nanosec, ROS 1 secs/nsecs.
  const st = obj(header.stamp, 'header.stamp', errors);
  const sec = num(st.sec ?? st.secs, 'header.stamp.sec', errors), nanosec = num(st.nanosec ?? st.nsecs, 'header.stamp.nanosec', errors);
  const value = {
    header: { frame_id: typeof header.frame_id === 'string' ? header.frame_id : '', stampMs: sec * 1000 + nanosec / 1e6 },
    twist: { linear: vector3(twist.linear, 'twist.linear', errors), angular: vector3(twist.angular, 'twist.angular', errors) },
  };
  return errors.length ? { ok: false, error: errors.join('; ') } : { ok: true, value };
}

export function checkFloat64(msg: unknown): Checked<{ data: number }> {
  const errors: string[] = [];
  const data = num(obj(msg, 'msg', errors).data, 'data', errors);
  return errors.length ? { ok: false, error: errors.join('; ') } : { ok: true, value: { data } };
}

/** builtin_interfaces/Time from seconds. */
export function stamp(seconds: number): { sec: number; nanosec: number } {
  const sec = Math.floor(seconds);
  return { sec, nanosec: Math.round((seconds - sec) * 1e9) % 1_000_000_000 };
}
