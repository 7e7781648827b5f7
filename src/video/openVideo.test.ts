import { describe, expect, it } from 'vitest';
import { openVideo } from './openVideo';

/** An ISO-BMFF box: size, type, payload. */
function box(type: string, ...payload: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const size = 8 + payload.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(new ArrayBuffer(size));
  new DataView(out.buffer).setUint32(0, size);
  out.set([...type].map((c) => c.charCodeAt(0)), 4);
  let at = 8;
  for (const p of payload) out.set(p, (at += p.length) - p.length);
  return out;
}

describe('openVideo names what is wrong with an MP4 that has no tracks', () => {
  const ftyp = box('ftyp', new TextEncoder().encode('isom\0\0\x02\0isomiso2mp41'));
  const mvhd = box('mvhd', new Uint8Array(100)); // version 0, timescale 0: a movie header and nothing else
  mvhd[8 + 15] = 1; // timescale 1000 would do too; any value > 0
  it('an index that lists nothing is not called truncated', async () => {
    await expect(openVideo(new Blob([ftyp, box('moov', mvhd)]), 'empty-index.mp4')).rejects.toThrow(/empty-index\.mp4: the file has no tracks: its index \(`moov` box\) is there but lists no video or audio/);
  });
  it('no index at all is called cut off before its moov box', async () => {
    await expect(openVideo(new Blob([ftyp, box('mdat', new Uint8Array(64))]), 'cut.mp4')).rejects.toThrow(/cut\.mp4: the file is damaged or truncated: it has no track index \(an MP4 cut off before its `moov` box\)/);
  });
});
