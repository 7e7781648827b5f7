/**
 * The two levels of a hierarchical policy as the control loop sees them (docs/MODELS.md, roles). The
 * inference runtime (src/inference) provides the ONNX-backed ones; the scripted ones here let the
 * console and its tests run without any model.
 */
import type { Path } from '../core/path';
import type { RgbaImage } from '../core/raster';
import type { CameraFrame } from './types';

export interface Planner {
  readonly name: string;
  /** Image + instruction → 2D path. May take long (a remote VLM): the control loop never awaits it. */
  plan(input: { image: RgbaImage; instruction: string }, signal?: AbortSignal): Promise<Path>;
}

export interface PolicyInput {
  image: RgbaImage;
  /** The path the operator sees (hierarchical); null for a flat policy. */
  path: Path | null;
  /** Robot state in the card's layout (the sim's: ee xyz, gripper closure, 6 joints). */
  state: Float32Array;
  instruction: string;
}

export interface Policy {
  readonly name: string;
  /** Steps per second the card was trained at; one action = end-effector displacement per step. */
  readonly controlRateHz: number;
  /** `path`: hierarchical (needs a path); `text`: the flat baseline conditioned on the instruction. */
  readonly conditioning: 'path' | 'text';
  /** Returns a chunk of actions `[dx, dy, dz, gripper]` (metres per step; gripper 0 open … 1 closed). */
  act(input: PolicyInput): Promise<number[][]>;
  /**
   * Optional: the same on the encoded camera frame, decoded and preprocessed off the main thread
   * (the loop then does not decode it). `decodeMs` is the part spent decoding, for the figures.
   */
  actOnFrame?(input: Omit<PolicyInput, 'image'> & { frame: CameraFrame }): Promise<{ actions: number[][]; decodeMs: number }>;
}

/** Always proposes the same path (tests; a path the operator sketched). */
export class FixedPlanner implements Planner {
  readonly name = 'fixed path';
  constructor(private readonly path: Path, private readonly delayMs = 0) {}
  async plan(_: { image: RgbaImage; instruction: string }, signal?: AbortSignal): Promise<Path> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    signal?.throwIfAborted();
    return structuredClone(this.path);
  }
}

/** Outputs zero motion with the gripper open: a safe stand-in while no policy is loaded. */
export class ZeroPolicy implements Policy {
  readonly name = 'zero (no policy loaded)';
  readonly conditioning = 'path' as const;
  constructor(readonly controlRateHz = 10) {}
  async act(): Promise<number[][]> {
    return [[0, 0, 0, 0]];
  }
}

/** A policy from a function: tests script what it does and how long it takes. */
export class ScriptedPolicy implements Policy {
  readonly name = 'scripted';
  constructor(private readonly fn: (input: PolicyInput) => number[][] | Promise<number[][]>, readonly controlRateHz = 10, readonly conditioning: 'path' | 'text' = 'path') {}
  async act(input: PolicyInput): Promise<number[][]> {
    return this.fn(input);
  }
}
