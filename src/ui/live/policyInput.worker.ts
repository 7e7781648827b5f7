/**
 * Turns an encoded camera frame into the policy's image tensor off the main thread: JPEG/PNG decode,
 * resize, HAMSTER overlay (or concat) drawing and normalisation — the same pure preprocessing as
 * everywhere else (src/inference/preprocess.ts). The tensor goes back transferred, not copied.
 */
import type { Path } from '../../core/path';
import type { ModelCard } from '../../inference/modelCard';
import { policyImageTensor } from '../../inference/preprocess';
import { FrameDecoder } from '../../robot/frameDecoder';

export interface PolicyInputRequest {
  id: number;
  bytes: ArrayBuffer;
  /** CompressedImage format ("jpeg", "png"…). */
  format: string;
  path: Path | null;
  card: ModelCard;
}

export type PolicyInputReply =
  | { id: number; ok: true; dims: number[]; data: Float32Array; decodeMs: number; prepMs: number }
  | { id: number; ok: false; error: string };

const decoder = new FrameDecoder();

self.onmessage = async (e: MessageEvent<PolicyInputRequest>) => {
  const { id, bytes, format, path, card } = e.data;
  try {
    const t0 = performance.now();
    const image = await decoder.decodeBytes(new Uint8Array(bytes), format);
    const t1 = performance.now();
    const tensor = policyImageTensor(image, path, card);
    const reply: PolicyInputReply = { id, ok: true, dims: tensor.dims, data: tensor.data, decodeMs: t1 - t0, prepMs: performance.now() - t1 };
    (self as unknown as Worker).postMessage(reply, [tensor.data.buffer]);
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies PolicyInputReply);
  }
};
