/** A video the studio cannot import, with a message that names the file and says what to do. */
export class VideoImportError extends Error {
  constructor(public readonly fileName: string, public readonly reason: string, public readonly hint = '') {
    super(`${fileName}: ${reason}${hint ? ` ${hint}` : ''}`);
    this.name = 'VideoImportError';
  }
}

/** Human names for codecs, to say exactly which one is not supported. */
export const CODEC_NAMES: Record<string, string> = {
  avc: 'H.264 (AVC)',
  hevc: 'H.265 (HEVC)',
  vp8: 'VP8',
  vp9: 'VP9',
  av1: 'AV1',
  mpeg4: 'MPEG-4 Part 2',
  prores: 'Apple ProRes',
};

/** Codecs the studio accepts (what Debian Chromium's WebCodecs decodes; docs/VIDEO_IMPORT.md). */
export const SUPPORTED_CODECS = ['avc', 'vp8', 'vp9', 'av1'] as const;

export const codecName = (codec: string | null | undefined) => (codec ? CODEC_NAMES[codec] ?? codec : 'an unknown codec');
