import { ALL_FORMATS, BlobSource, EncodedPacketSink, Input, VideoSampleSink, type InputVideoTrack } from 'mediabunny';
import { estimateFps, presentationTimes } from './frameIndex';
import { nameUnknownVideoCodec } from './sniffCodec';
import { codecName, SUPPORTED_CODECS, VideoImportError } from './videoErrors';
import { errorMessage } from '../core/errorMessage';

/** What the studio stores about a video (VideoRecord fields) plus its frame table. */
export interface VideoInfo {
  codec: string;
  /** Codec string for WebCodecs, e.g. `avc1.64001f`. */
  codecString: string;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  durationSeconds: number;
  /** Presentation timestamp of every frame, seconds, ascending. */
  frameTimes: number[];
  mime: string;
}

export interface OpenedVideo {
  input: Input;
  track: InputVideoTrack;
}

/**
 * Opens a video Blob with mediabunny (MP4/MOV, WebM/Matroska…). The Blob is read lazily in slices
 * (BlobSource), so a 4 GB file is never loaded whole. Throws VideoImportError with a clear reason.
 */
export async function openVideo(blob: Blob, fileName: string): Promise<OpenedVideo> {
  if (blob.size === 0) throw new VideoImportError(fileName, 'the file is empty (0 bytes).', 'Choose the video file again.');
  const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
  try {
    if (!(await input.canRead())) {
      throw new VideoImportError(fileName, 'this is not a video the studio can read (or the file is damaged).', 'Use MP4 (H.264, AV1) or WebM (VP8, VP9).');
    }
    const track = await input.getPrimaryVideoTrack();
    if (!track) {
      const tracks = await input.getTracks();
      if (tracks.length === 0) {
        if (await hasBox(blob, 'moov')) throw new VideoImportError(fileName, 'the file has no tracks: its index (`moov` box) is there but lists no video or audio.', 'Export the video again; the program that wrote it stored no stream.');
        throw new VideoImportError(fileName, 'the file is damaged or truncated: it has no track index (an MP4 cut off before its `moov` box).', 'Copy or download it again.');
      }
      const audio = await input.getPrimaryAudioTrack();
      throw new VideoImportError(fileName, audio ? 'the file has only audio, no video track.' : 'the file has no video track.', 'Choose a file with video.');
    }
    const codec = await track.getCodec();
    if (!codec || !(SUPPORTED_CODECS as readonly string[]).includes(codec)) {
      const name = codec ? codecName(codec) : ((await sniffCodecName(blob)) ?? 'of this file');
      throw new VideoImportError(fileName, `the video codec ${name} is not supported.`, 'Re-encode it to H.264, VP9 or AV1, e.g. `ffmpeg -i in -c:v libx264 out.mp4`.');
    }
    if (!(await track.canDecode())) {
      throw new VideoImportError(fileName, `this browser cannot decode ${codecName(codec)} (${(await track.getCodecParameterString()) ?? codec}).`, 'Re-encode it to H.264 or VP9.');
    }
    return { input, track };
  } catch (e) {
    input.dispose();
    if (e instanceof VideoImportError) throw e;
    throw new VideoImportError(fileName, `the file is damaged or truncated (${errorMessage(e)}).`, 'Export or download it again.');
  }
}

/** Whether a top-level box of this type is in the file's head or tail (where `moov` sits). */
async function hasBox(blob: Blob, type: string): Promise<boolean> {
  const window = 2 << 20;
  const parts = [blob.slice(0, window), blob.size > window ? blob.slice(Math.max(window, blob.size - window)) : null];
  const text = (b: Uint8Array) => String.fromCharCode(...b.subarray(0, Math.min(b.length, 1 << 16)));
  for (const part of parts) if (part && (text(new Uint8Array(await part.arrayBuffer())).includes(type))) return true;
  return false;
}

/** Head and tail of the file (the `moov` box is at either end), scanned for the sample entry. */
async function sniffCodecName(blob: Blob): Promise<string | undefined> {
  const window = 2 << 20;
  const head = new Uint8Array(await blob.slice(0, window).arrayBuffer());
  const tail = blob.size > window ? new Uint8Array(await blob.slice(Math.max(window, blob.size - window)).arrayBuffer()) : new Uint8Array(0);
  return nameUnknownVideoCodec(head) ?? nameUnknownVideoCodec(tail);
}

/**
 * Reads the frame table from packet metadata and checks the file is whole: the last packet's bytes
 * are present (catches truncated files), and frames at the start, the middle and the end really
 * decode (catches a file whose data was overwritten — it indexes fine and fails only in the
 * decoder, which the editor would otherwise meet later without naming the file).
 */
export async function readVideoInfo(opened: OpenedVideo, fileName: string, signal?: AbortSignal): Promise<VideoInfo> {
  const { input, track } = opened;
  try {
    const sink = new EncodedPacketSink(track);
    const stamps: number[] = [];
    for await (const packet of sink.packets(undefined, undefined, { metadataOnly: true })) {
      stamps.push(packet.timestamp);
      if ((stamps.length & 1023) === 0) signal?.throwIfAborted();
    }
    if (stamps.length === 0) throw new VideoImportError(fileName, 'the video track has no frames.', 'Choose another file.');
    const frameTimes = presentationTimes(stamps);
    const last = await sink.getPacket(Infinity);
    if (!last || last.byteLength === 0) throw new Error('the last frame is missing');
    const [codec, codecString, width, height, mime] = await Promise.all([
      track.getCodec(), track.getCodecParameterString(), track.getDisplayWidth(), track.getDisplayHeight(), input.getMimeType(),
    ]);
    await checkFramesDecode(track, frameTimes, fileName);
    const duration = await track.computeDuration();
    return { codec: codec ?? 'unknown', codecString: codecString ?? '', width, height, fps: estimateFps(frameTimes), frameCount: frameTimes.length, durationSeconds: duration, frameTimes, mime };
  } catch (e) {
    if (e instanceof VideoImportError || (e instanceof DOMException && e.name === 'AbortError')) throw e;
    throw new VideoImportError(fileName, `the file is damaged or truncated (${errorMessage(e)}).`, 'Export or download it again.');
  }
}

/** Decodes a few frames across the video; throws a VideoImportError naming the first that fails. */
async function checkFramesDecode(track: OpenedVideo['track'], frameTimes: number[], fileName: string): Promise<void> {
  const sink = new VideoSampleSink(track);
  const picks = [...new Set([0, Math.floor(frameTimes.length / 2), frameTimes.length - 1])];
  for (const i of picks) {
    let sample;
    try {
      sample = await sink.getSample(frameTimes[i]);
    } catch (e) {
      throw new VideoImportError(fileName, `frame ${i + 1} of ${frameTimes.length} cannot be decoded (${errorMessage(e)}): the file is damaged.`, 'Export or download it again.');
    }
    if (!sample) throw new VideoImportError(fileName, `frame ${i + 1} of ${frameTimes.length} cannot be decoded: the file is damaged.`, 'Export or download it again.');
    sample.close();
  }
}
