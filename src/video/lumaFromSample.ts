import type { VideoSample } from 'mediabunny';
import type { LumaFrame } from '../tracking/lumaFrame';

/**
 * The luma (Y) plane of a decoded frame: what the tracker needs, without any colour conversion
 * for the YUV formats decoders produce (I420, NV12…). RGB frames are converted (BT.601 weights).
 */
export async function lumaFromSample(sample: VideoSample, reuse?: Uint8Array): Promise<LumaFrame> {
  const width = sample.codedWidth;
  const height = sample.codedHeight;
  const format = sample.format ?? '';
  const data = reuse && reuse.length === width * height ? reuse : new Uint8Array(width * height);
  if (/^(I4|NV12)/.test(format)) {
    const buffer = new Uint8Array(sample.allocationSize());
    const layout = await sample.copyTo(buffer);
    const { offset, stride } = layout[0];
    for (let y = 0; y < height; y++) data.set(buffer.subarray(offset + y * stride, offset + y * stride + width), y * width);
    return cropVisible({ width, height, data }, sample);
  }
  const rgba = new Uint8Array(width * height * 4);
  await sample.copyTo(rgba, { format: 'RGBA' } as VideoFrameCopyToOptions);
  for (let i = 0, j = 0; i < data.length; i++, j += 4) data[i] = (rgba[j] * 77 + rgba[j + 1] * 150 + rgba[j + 2] * 29) >> 8;
  return cropVisible({ width, height, data }, sample);
}

/** Coded frames may be padded (e.g. 1080 → 1088 rows): keep the visible rectangle only. */
function cropVisible(frame: LumaFrame, sample: VideoSample): LumaFrame {
  const r = sample.visibleRect;
  if (r.left === 0 && r.top === 0 && r.width === frame.width && r.height === frame.height) return frame;
  const out = new Uint8Array(r.width * r.height);
  for (let y = 0; y < r.height; y++) {
    const start = (r.top + y) * frame.width + r.left;
    out.set(frame.data.subarray(start, start + r.width), y * r.width);
  }
  return { width: r.width, height: r.height, data: out };
}
