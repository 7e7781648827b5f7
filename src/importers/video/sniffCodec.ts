/**
 * Names the codec of an MP4/MOV video track from its sample entry when the demuxer does not know
 * it (mediabunny reports only codecs it can hand to WebCodecs): we still want to say *which*
 * codec is unsupported. Pure: give it the first and last bytes of the file (the `moov` box with
 * `stsd` sits at either end).
 */
const FOURCC_NAMES: Record<string, string> = {
  mp4v: 'MPEG-4 Part 2',
  xvid: 'MPEG-4 Part 2 (Xvid)',
  divx: 'MPEG-4 Part 2 (DivX)',
  hvc1: 'H.265 (HEVC)',
  hev1: 'H.265 (HEVC)',
  s263: 'H.263',
  h263: 'H.263',
  mjpa: 'Motion JPEG',
  jpeg: 'Motion JPEG',
  mjpg: 'Motion JPEG',
  apcn: 'Apple ProRes',
  apch: 'Apple ProRes',
  apcs: 'Apple ProRes',
  apco: 'Apple ProRes',
  ap4h: 'Apple ProRes',
  'mp2v': 'MPEG-2',
  dvh1: 'Dolby Vision',
};

/** Sample-entry fourccs found after each `stsd` box header in `bytes`. */
export function sampleEntryFourccs(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 4; i + 20 <= bytes.length; i++) {
    if (bytes[i] !== 0x73 || bytes[i + 1] !== 0x74 || bytes[i + 2] !== 0x73 || bytes[i + 3] !== 0x64) continue; // 'stsd'
    // stsd: [size]['stsd'][version+flags: 4][entry count: 4][entry size: 4][fourcc: 4]
    const at = i + 4 + 4 + 4 + 4;
    out.push(String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]));
  }
  return out;
}

/** A readable name for the first video codec whose fourcc we recognise, if any. */
export function nameUnknownVideoCodec(bytes: Uint8Array): string | undefined {
  for (const fourcc of sampleEntryFourccs(bytes)) {
    const name = FOURCC_NAMES[fourcc.toLowerCase()];
    if (name) return name;
  }
  return undefined;
}
