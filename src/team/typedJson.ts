/**
 * Records as JSON documents: episodes keep their states, actions and timestamps as typed arrays
 * (storage/episodes.ts), which JSON would turn into `{"0": …, "1": …}` objects. A typed array
 * becomes `{ "$typed": "Float32Array", "base64": "…" }` (its bytes, little-endian as stored) and comes
 * back as the same type. A Blob cannot be part of a document: binary data travels as attachments
 * (docs.ts), so meeting one is a mistake in the caller, said as such.
 */

const TYPED = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
} as const;
type TypedName = keyof typeof TYPED;

interface TypedJson {
  $typed: TypedName;
  base64: string;
}

/** Bytes as base64 (also how a document carries an attachment inline). */
export function toBase64(bytes: Uint8Array): string {
  let text = '';
  // In slices: String.fromCharCode takes its bytes as arguments, and there is a limit to those.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** A value with its typed arrays as `$typed` objects; undefined fields left out as JSON would. */
export function toJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name as TypedName;
    if (!(name in TYPED)) throw new Error(`A ${value.constructor.name} cannot be stored in a team document.`);
    return { $typed: name, base64: toBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) } satisfies TypedJson;
  }
  if (typeof Blob !== 'undefined' && value instanceof Blob) throw new Error('A Blob cannot be part of a team document: it travels as an attachment.');
  if (Array.isArray(value)) return value.map(toJsonValue);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonValue(v);
  return out;
}

/** The value `toJsonValue` was made from. */
export function fromJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromJsonValue);
  const typed = value as Partial<TypedJson>;
  if (typeof typed.$typed === 'string' && typeof typed.base64 === 'string' && typed.$typed in TYPED) {
    const bytes = fromBase64(typed.base64);
    const Type = TYPED[typed.$typed];
    return new Type(bytes.buffer, 0, bytes.byteLength / Type.BYTES_PER_ELEMENT);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = fromJsonValue(v);
  return out;
}
