/**
 * Model-assisted labelling API: `suggestPath(image, instruction)` with whatever planner is
 * active (local ONNX or remote VLM), and `activePlannerStatus()` for buttons that need to say why
 * they are disabled.
 */
import type { Path } from '../core/path';
import type { RgbaImage } from '../core/raster';
import { CancelledError, inferenceClient } from './client';
import { bitmapJpegDataUrl, bitmapPixels, toBitmap } from './imagePixels';
import { plannerImageTensor, plannerOutputToPath, textTensor } from './preprocess';
import { getRegistryState, restoreActiveModels, type ActiveLocal } from './registry';
import { remoteSuggestPath } from './remotePlanner';
import { traceMark } from './startupTrace';

export interface PlannerStatus {
  ready: boolean;
  name: string | null;
  kind: 'local' | 'remote' | null;
  /** Backend and why, for local models. */
  detail: string | null;
  /** Why there is no planner, when there is none. */
  reason: string | null;
}

export function activePlannerStatus(): PlannerStatus {
  const { planner, busy, lastError } = getRegistryState();
  if (!planner) return { ready: false, name: null, kind: null, detail: null, reason: busy ?? lastError ?? 'No planner is active. Add or choose one in Models.' };
  if (planner.kind === 'remote') return { ready: true, name: `Remote: ${planner.config.model}`, kind: 'remote', detail: planner.config.url, reason: null };
  return { ready: true, name: planner.record.name, kind: 'local', detail: `${planner.loaded.backend.toUpperCase()} — ${planner.loaded.reason}`, reason: null };
}

/** Runs a local planner on pixels already decoded (the "try it" panel and pre-labelling reuse this). */
export async function runLocalPlanner(active: ActiveLocal, pixels: RgbaImage, instruction: string, signal?: AbortSignal): Promise<Path> {
  const card = active.card;
  const imageInput = card.image.input;
  const textInput = card.text?.input ?? 'text';
  traceMark('suggest.tensorsReady');
  const out = await inferenceClient().run(active.key, { [imageInput]: plannerImageTensor(pixels, card), [textInput]: textTensor(instruction, card) }, signal);
  const points = out.points, gripper = out.gripper;
  traceMark('suggest.ran');
  if (!points || !gripper) throw new Error(`${active.record.name} returned no "points"/"gripper" outputs`);
  return plannerOutputToPath(points.data, gripper.data, card);
}

/** The active planner's path for `image` and `instruction`. Loads the default planner on first use. */
export async function suggestPath(image: Blob | ImageBitmap, instruction: string, signal?: AbortSignal): Promise<Path> {
  traceMark('suggest.start');
  if (!getRegistryState().planner) await restoreActiveModels();
  const planner = getRegistryState().planner;
  if (!planner) throw new Error(activePlannerStatus().reason ?? 'No planner is active.');
  if (signal?.aborted) throw new CancelledError();
  const bitmap = await toBitmap(image);
  try {
    if (planner.kind === 'remote') return await remoteSuggestPath(planner.config, await bitmapJpegDataUrl(bitmap), instruction, signal);
    return await runLocalPlanner(planner, bitmapPixels(bitmap), instruction, signal);
  } finally {
    if (image instanceof Blob) bitmap.close();
  }
}
