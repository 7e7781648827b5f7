/**
 * Turns an encoded camera frame into the policy's image tensor off the main thread: JPEG/PNG decode,
 * resize, HAMSTER overlay (or concat) drawing and normalisation — the same pure preprocessing as
 * everywhere else (src/inference/preprocess.ts). The tensor goes back transferred, not copied.
 */
import type { Path } from '../../core/path';
import type { ModelCard } from '../../inference/modelCard';
import { policyImageTensor } from '../../inference/preprocess';

export interface PolicyInputRequest {
  id: number;
  bytes: ArrayBuffer;
  mime: string;
  path: Path | null;
  card: ModelCard;
}

export type PolicyInputReply =
  | { id: number; ok: true; dims: number[]; data: Float32Array; decodeMs: number; prepMs: number }
  | { id: number; ok: false; error: string };

let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;

self.onmessage = async (e: MessageEvent<PolicyInputRequest>) => {
  const { id, bytes, mime, path, card } = e.data;
  try {
    const t0 = performance.now();
    const bitmap = await createImageBitmap(new Blob([bytes], { type: mime }));
    const { width, height } = bitmap;
    if (!canvas || canvas.width !== width || canvas.height !== height) {
      canvas = new OffscreenCanvas(width, height);
      ctx = canvas.getContext('2d', { willReadFrequently: true });
    }
    if (!ctx) throw new Error('no 2D canvas in the worker');
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    const image = { width, height, data: ctx.getImageData(0, 0, width, height).data };
    const t1 = performance.now();
    const tensor = policyImageTensor(image, path, card);
    const reply: PolicyInputReply = { id, ok: true, dims: tensor.dims, data: tensor.data, decodeMs: t1 - t0, prepMs: performance.now() - t1 };
    (self as unknown as Worker).postMessage(reply, [tensor.data.buffer]);
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies PolicyInputReply);
  }
};
