/** Small stored pieces the player's tests build episodes from. */
import type { Path } from '../core/path';
import { sha256Hex } from '../storage/hash';
import type { AssetRecord } from '../storage/types';

/** A tiny "PNG" asset (its magic bytes and a seed), addressed by its SHA-256 as ingest does. */
export async function imageAsset(seed: number): Promise<AssetRecord> {
  const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, seed]);
  return { id: await sha256Hex(bytes), blob: new Blob([bytes]), mime: 'image/png', size: bytes.length, width: 8, height: 6, createdAt: 0 };
}

/** A two-point path starting at x, closing the gripper at its end. */
export const twoPointPath = (x: number): Path => ({ initialGripper: 'open', points: [{ x, y: 0.5, gripper: 'open' }, { x: x + 0.1, y: 0.5, gripper: 'closed' }] });

/** Frames (the player's FrameImages) for code that must not decode any. */
export const noFrames = { has: () => true, image: async (): Promise<never> => { throw new Error('not decoded in this test'); }, dispose: () => {} };
