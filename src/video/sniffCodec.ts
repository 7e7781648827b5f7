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

/**
 * `mp4v` is the sample entry of every MPEG-4 systems stream, not only MPEG-4 Part 2: ffmpeg writes
 * Motion JPEG and MPEG-1/2 in MP4 as `mp4v` too. The esds box's objectTypeIndication says which.
 */
const OBJECT_TYPES: Record<number, string> = {
  0x20: 'MPEG-4 Part 2', 0x60: 'MPEG-2', 0x61: 'MPEG-2', 0x62: 'MPEG-2', 0x63: 'MPEG-2', 0x64: 'MPEG-2', 0x65: 'MPEG-2',
  0x6a: 'MPEG-1', 0x6c: 'Motion JPEG', 0x6e: 'JPEG 2000',
};

/** The objectTypeIndication of the first esds box in `bytes` from `from` on, or undefined. */
function esdsObjectType(bytes: Uint8Array, from: number): number | undefined {
  const end = Math.min(bytes.length, from + 512);
  for (let i = from; i + 4 <= end; i++) {
    if (bytes[i] !== 0x65 || bytes[i + 1] !== 0x73 || bytes[i + 2] !== 0x64 || bytes[i + 3] !== 0x73) continue; // 'esds'
    let p = i + 8; // type, version + flags
    const skipLength = () => { for (let k = 0; k < 4 && bytes[p++] & 0x80; k++); };
    if (bytes[p++] !== 0x03) return undefined; // ES_Descriptor
    skipLength();
    p += 2; // ES_ID
    const flags = bytes[p++];
    if (flags & 0x80) p += 2;
    if (flags & 0x40) p += 1 + bytes[p];
    if (flags & 0x20) p += 2;
    if (bytes[p++] !== 0x04) return undefined; // DecoderConfigDescriptor
    skipLength();
    return p < bytes.length ? bytes[p] : undefined;
  }
  return undefined;
}

/** A readable name for the first video codec whose fourcc we recognise, if any. */
export function nameUnknownVideoCodec(bytes: Uint8Array): string | undefined {
  for (const fourcc of sampleEntryFourccs(bytes)) {
    if (fourcc === 'mp4v') {
      const at = indexOfFourcc(bytes, 'mp4v');
      const type = at < 0 ? undefined : esdsObjectType(bytes, at);
      if (type !== undefined && OBJECT_TYPES[type]) return OBJECT_TYPES[type];
    }
    const name = FOURCC_NAMES[fourcc.toLowerCase()];
    if (name) return name;
  }
  return undefined;
}

function indexOfFourcc(bytes: Uint8Array, fourcc: string): number {
  const c = [...fourcc].map((ch) => ch.charCodeAt(0));
  for (let i = 0; i + 4 <= bytes.length; i++) if (bytes[i] === c[0] && bytes[i + 1] === c[1] && bytes[i + 2] === c[2] && bytes[i + 3] === c[3]) return i;
  return -1;
}
