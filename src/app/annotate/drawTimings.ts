/**
 * Timings of the Annotate canvas for the benchmark (bench/browser/annotate.bench.ts): it sets
 * `window.__pathStudioAnnotatePerf = { frames: [], images: [] }`, and the canvas then records, per
 * drawn frame, the main-thread work for it (pointer handling since the last frame + drawing), and
 * when each new image first reached the screen. Read only in builds made for automation
 * (app/automation.ts), so a user's page never looks for it.
 */
import { automationRequested } from '../automation';

export interface DrawTimings {
  frames: number[];
  images: { assetId: string | null; at: number; frameMs: number }[];
  /** Read a pixel back after drawing so the canvas rasterizes inside the timed span (conservative figures). */
  syncRaster?: boolean;
}

declare global {
  interface Window {
    __pathStudioAnnotatePerf?: DrawTimings;
  }
}

const enabled = automationRequested();

/** The collector the benchmark installed, if any. */
export const drawTimings = (): DrawTimings | undefined => (enabled ? window.__pathStudioAnnotatePerf : undefined);
