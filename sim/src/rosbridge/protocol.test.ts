import { readFileSync } from 'node:fs';
import { Decoder, Encoder } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeOutgoing, normalizeType, parseOp, resolveName } from './protocol.ts';

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/client-messages.json', import.meta.url), 'utf8'));

describe('rosbridge protocol', () => {
  it('accepts the operations of the rosbridge v2 spec and of roslib', () => {
    for (const message of fixtures.valid) {
      const parsed = parseOp(message);
      expect(parsed, JSON.stringify(message)).toMatchObject({ ok: true, op: { op: message.op } });
    }
  });

  it('rejects malformed operations with a clear error and keeps their id', () => {
    for (const { message, error } of fixtures.invalid) {
      const parsed = parseOp(message);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toBe(error);
    }
    const withId = parseOp({ op: 'dance', id: 'x7' });
    expect(withId).toMatchObject({ ok: false, id: 'x7' });
  });

  it('decodes JSON text frames and CBOR binary frames, and reports broken ones', () => {
    const json = decodeFrame(JSON.stringify(fixtures.valid[0]), false);
    expect(json).toEqual({ ok: true, value: fixtures.valid[0] });
    const cbor = decodeFrame(Buffer.from(new Encoder({ useRecords: false }).encode(fixtures.valid[2])), true);
    expect(cbor).toEqual({ ok: true, value: fixtures.valid[2] });
    expect(decodeFrame('{"op": "publish", ', false)).toMatchObject({ ok: false, error: expect.stringContaining('JSON') });
    expect(decodeFrame(Buffer.from([0xbf, 0x61]), true)).toMatchObject({ ok: false, error: expect.stringContaining('CBOR') });
  });

  it('encodes uint8[] as base64 in JSON and as a CBOR byte string', () => {
    const msg = { op: 'publish', topic: '/img', msg: { format: 'jpeg', data: new Uint8Array([255, 216, 255]) } };
    expect(JSON.parse(encodeOutgoing(msg, 'none') as string).msg.data).toBe('/9j/');
    const bytes = encodeOutgoing(msg, 'cbor') as Buffer;
    // Major type 2 (byte string) of length 3 directly after the "data" key, no typed-array tag.
    expect(bytes.includes(Buffer.from([0x64, 0x64, 0x61, 0x74, 0x61, 0x43, 255, 216, 255]))).toBe(true);
    const back = new Decoder({ useRecords: false }).decode(bytes);
    expect(Array.from(back.msg.data as Uint8Array)).toEqual([255, 216, 255]);
  });

  it('resolves relative names in the root namespace', () => {
    expect(resolveName('rosapi/topics')).toBe('/rosapi/topics');
    expect(resolveName('/joint_states')).toBe('/joint_states');
  });

  it('treats ROS 1 and ROS 2 type names as the same type', () => {
    expect(normalizeType('std_msgs/msg/String')).toBe(normalizeType('std_msgs/String'));
    expect(normalizeType('std_msgs/msg/String')).not.toBe(normalizeType('std_msgs/msg/Bool'));
  });
});
