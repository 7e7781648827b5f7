import { describe, expect, it } from 'vitest';
import { nameUnknownVideoCodec, sampleEntryFourccs } from './sniffCodec';

function stsd(fourcc: string): Uint8Array {
  const bytes = new Uint8Array(40);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 40);
  bytes.set([...'stsd'].map((c) => c.charCodeAt(0)), 4);
  view.setUint32(12, 1);
  view.setUint32(16, 24);
  bytes.set([...fourcc].map((c) => c.charCodeAt(0)), 20);
  return bytes;
}

describe('sniffing an MP4 sample entry', () => {
  it('reads the fourcc after stsd', () => {
    expect(sampleEntryFourccs(stsd('mp4v'))).toEqual(['mp4v']);
  });
  it('names codecs the demuxer does not know', () => {
    expect(nameUnknownVideoCodec(stsd('mp4v'))).toBe('MPEG-4 Part 2');
    expect(nameUnknownVideoCodec(stsd('hev1'))).toBe('H.265 (HEVC)');
    expect(nameUnknownVideoCodec(stsd('apcn'))).toBe('Apple ProRes');
  });
  it('says nothing for unknown or missing entries', () => {
    expect(nameUnknownVideoCodec(stsd('zzzz'))).toBeUndefined();
    expect(nameUnknownVideoCodec(new Uint8Array(100))).toBeUndefined();
  });
});
