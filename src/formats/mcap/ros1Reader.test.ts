import { parse } from '@foxglove/rosmsg';
import { MessageReader, MessageWriter } from '@foxglove/rosmsg-serialization';
import { describe, expect, it } from 'vitest';
import { Ros1MessageReader } from './ros1Reader';

// Every ROS 1 field kind: scalars, strings, time/duration, fixed and variable arrays of each, nested
// messages and arrays of them, constants (not on the wire).
const DEF = `int32 ANSWER=42
bool flag
int8 i8
uint8 u8
byte b
char c
int16 i16
uint16 u16
int32 i32
uint32 u32
int64 i64
uint64 u64
float32 f32
float64 f64
string text
time stamp
duration span
uint8[] blob
float64[9] k
float32[] floats
int64[] longs
string[] names
bool[2] flags
time[] times
Point p
Point[] points
Point[2] pair
================================================================================
MSG: geometry_msgs/Point
float64 x
float64 y
float64 z
`;

const sample = {
  flag: true, i8: -5, u8: 250, b: -3, c: 65, i16: -30000, u16: 60000, i32: -2_000_000_000, u32: 4_000_000_000, i64: -(2n ** 62n), u64: 2n ** 63n + 5n,
  f32: 1.5, f64: Math.PI, text: 'grüße, tool0', stamp: { sec: 1_700_000_000, nsec: 123_456_789 }, span: { sec: -2, nsec: 500 },
  blob: new Uint8Array([1, 2, 3, 255]), k: [300, 0, 160, 0, 300, 120, 0, 0, 1], floats: [0.25, -8], longs: [1n, -2n], names: ['shoulder', '', 'gripper'],
  flags: [false, true], times: [{ sec: 1, nsec: 2 }], p: { x: 1, y: 2, z: 3 }, points: [{ x: -1, y: 0.5, z: 9 }, { x: 0, y: 0, z: 0 }], pair: [{ x: 1, y: 1, z: 1 }, { x: 2, y: 2, z: 2 }],
};

describe('ROS 1 reader (interpreted, no eval)', () => {
  it('reads what @foxglove/rosmsg-serialization writes exactly as its own (eval-compiled) reader does', () => {
    const defs = parse(DEF);
    const bytes = new MessageWriter(defs).writeMessage(sample);
    // At an odd offset inside a larger buffer, as messages sit inside an MCAP chunk.
    const inside = new Uint8Array(bytes.length + 3);
    inside.set(bytes, 1);
    const ours = new Ros1MessageReader(defs).readMessage(inside.subarray(1, 1 + bytes.length));
    const theirs = new MessageReader(defs).readMessage(bytes);
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({ u64: 2n ** 63n + 5n, text: 'grüße, tool0', span: { sec: -2, nsec: 500 }, points: sample.points });
    expect(Object.keys(ours as object)).not.toContain('ANSWER');
  });

  it('says where a truncated message ends', () => {
    const defs = parse(DEF);
    const bytes = new MessageWriter(defs).writeMessage(sample);
    expect(() => new Ros1MessageReader(defs).readMessage(bytes.subarray(0, 60))).toThrow(/the message ends at byte 60/);
  });
});
