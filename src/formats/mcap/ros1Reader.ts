/**
 * ROS 1 message deserialization, interpreted from the parsed definitions (@foxglove/rosmsg).
 *
 * Not @foxglove/rosmsg-serialization's MessageReader: that one compiles a reader per type with
 * `new Function`, which the studio's Content-Security-Policy (script-src without 'unsafe-eval',
 * see scripts/contentSecurityPolicy.ts) refuses in the page and in workers, so ROS 1 bags could
 * not be read in the browser. The wire format is small (little-endian scalars; strings and
 * variable arrays prefixed by a uint32 length; time/duration as two 32-bit words), and the output
 * has the same shape as that reader's (typed arrays for numeric arrays, `{sec, nsec}` times), which
 * mcap.test.ts checks message by message against it.
 */
import type { MessageDefinition, MessageDefinitionField } from '@foxglove/message-definition';

type Cursor = { view: DataView; bytes: Uint8Array; at: number };

const utf8 = new TextDecoder();

const SIZES: Record<string, number> = { bool: 1, int8: 1, uint8: 1, byte: 1, char: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, int64: 8, uint64: 8, float64: 8, time: 8, duration: 8 };

const TYPED: Record<string, { new (buffer: ArrayBuffer, offset: number, length: number): ArrayLike<number | bigint>; BYTES_PER_ELEMENT: number }> = {
  int8: Int8Array, byte: Int8Array, uint8: Uint8Array, char: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  float32: Float32Array, float64: Float64Array, int64: BigInt64Array, uint64: BigUint64Array,
};

function need(c: Cursor, n: number) {
  if (c.at + n > c.bytes.byteLength) throw new RangeError(`the message ends at byte ${c.bytes.byteLength}, ${n} more bytes were expected at ${c.at}`);
}

function scalar(c: Cursor, type: string): unknown {
  need(c, SIZES[type] ?? 4);
  const v = c.view, at = c.at;
  c.at += SIZES[type] ?? 0;
  switch (type) {
    case 'bool': return v.getUint8(at) !== 0;
    case 'int8': case 'byte': return v.getInt8(at);
    case 'uint8': case 'char': return v.getUint8(at);
    case 'int16': return v.getInt16(at, true);
    case 'uint16': return v.getUint16(at, true);
    case 'int32': return v.getInt32(at, true);
    case 'uint32': return v.getUint32(at, true);
    case 'float32': return v.getFloat32(at, true);
    case 'float64': return v.getFloat64(at, true);
    case 'int64': return v.getBigInt64(at, true);
    case 'uint64': return v.getBigUint64(at, true);
    case 'time': return { sec: v.getUint32(at, true), nsec: v.getUint32(at + 4, true) };
    case 'duration': return { sec: v.getInt32(at, true), nsec: v.getInt32(at + 4, true) };
    case 'string': {
      const n = v.getUint32(at, true);
      c.at += 4;
      need(c, n);
      const s = utf8.decode(c.bytes.subarray(c.at, c.at + n));
      c.at += n;
      return s;
    }
  }
  throw new Error(`unknown ROS 1 type “${type}”`);
}

export class Ros1MessageReader {
  private readonly root: MessageDefinition;
  private readonly byName = new Map<string, MessageDefinition>();

  constructor(definitions: MessageDefinition[]) {
    if (!definitions.length) throw new Error('no message definition');
    this.root = definitions[0];
    for (const d of definitions) if (d.name) this.byName.set(d.name, d);
  }

  readMessage(data: Uint8Array): unknown {
    const c: Cursor = { view: new DataView(data.buffer, data.byteOffset, data.byteLength), bytes: data, at: 0 };
    return this.readStruct(c, this.root);
  }

  private lookup(type: string): MessageDefinition {
    const d = this.byName.get(type) ?? this.byName.get(type.replace(/^.*\//, '')) ?? [...this.byName.values()].find((x) => x.name?.endsWith(`/${type}`));
    if (!d) throw new Error(`no definition for ${type} in the message's schema`);
    return d;
  }

  private readStruct(c: Cursor, def: MessageDefinition): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of def.definitions) if (!f.isConstant) out[f.name] = this.readField(c, f);
    return out;
  }

  private readField(c: Cursor, f: MessageDefinitionField): unknown {
    if (!f.isArray) return f.isComplex ? this.readStruct(c, this.lookup(f.type)) : scalar(c, f.type);
    let n = f.arrayLength;
    if (n === undefined) { need(c, 4); n = c.view.getUint32(c.at, true); c.at += 4; }
    const typed = f.isComplex ? undefined : TYPED[f.type];
    if (typed) {
      const bytes = n * typed.BYTES_PER_ELEMENT;
      need(c, bytes);
      // Copied into an aligned buffer of its own (the message's bytes may sit at any offset).
      const copy = c.bytes.slice(c.at, c.at + bytes);
      c.at += bytes;
      return new typed(copy.buffer, 0, n);
    }
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = f.isComplex ? this.readStruct(c, this.lookup(f.type)) : scalar(c, f.type);
    return out;
  }
}
