import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('naming what ffmpeg writes as mp4v', () => {
  // ffmpeg stores Motion JPEG, MPEG-1/2 and MPEG-4 Part 2 all under the mp4v sample entry.
  const dir = mkdtempSync(join(tmpdir(), 'sniff-'));
  const encode = (codec: string) => {
    const out = join(dir, `${codec}.mp4`);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=s=64x48:d=0.2', '-c:v', codec, ...(codec === 'mjpeg' ? ['-pix_fmt', 'yuvj420p'] : []), out]);
    return new Uint8Array(readFileSync(out));
  };
  it.each([['mjpeg', 'Motion JPEG'], ['mpeg4', 'MPEG-4 Part 2'], ['mpeg2video', 'MPEG-2']])('%s → %s', (codec, name) => {
    expect(nameUnknownVideoCodec(encode(codec))).toBe(name);
  });
});
