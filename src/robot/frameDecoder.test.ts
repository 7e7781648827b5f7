// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from './frameDecoder';

/** A JPEG whose frame header claims `side`×`side` pixels: a few bytes that would decode to gigabytes. */
function jpegClaiming(side: number): Uint8Array {
  const sof = [0xff, 0xc0, 0x00, 0x11, 0x08, side >> 8, side & 255, side >> 8, side & 255, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return new Uint8Array([0xff, 0xd8, ...sof, 0xff, 0xd9]);
}

describe('FrameDecoder', () => {
  it('refuses a camera frame larger than the pixel cap from its header, before decoding', async () => {
    await expect(new FrameDecoder().decodeBytes(jpegClaiming(60000), 'jpeg')).rejects.toThrow(/60000×60000 pixels \(3600 MP\)/);
  });
});
