import { VideoSampleSink } from 'mediabunny';
import { TrackingClient } from '../tracking/trackingClient';
import { openVideo, readVideoInfo } from './openVideo';

/**
 * A small automation surface on `window.__pathStudioVideo` for the browser benchmark: decode
 * every frame of a Blob, and track one point through a whole video in the tracking worker.
 * Exposed by the Videos tab through src/app/automation.ts; it only calls the same code the UI does.
 */
export interface VideoAutomation {
  decodeAll(blob: Blob): Promise<{ frames: number; seconds: number; width: number; height: number }>;
  trackThrough(blob: Blob, x: number, y: number): Promise<{ frames: number; seconds: number; workerFps: number; unreliable: number }>;
}

/** The video automation surface; the Videos tab exposes it (src/app/automation.ts). */
export function videoAutomation(): VideoAutomation {
  return {
    async decodeAll(blob) {
      const opened = await openVideo(blob, 'bench');
      try {
        const sink = new VideoSampleSink(opened.track);
        const t0 = performance.now();
        let frames = 0;
        for await (const sample of sink.samples()) {
          frames++;
          sample.close();
        }
        return { frames, seconds: (performance.now() - t0) / 1000, width: await opened.track.getDisplayWidth(), height: await opened.track.getDisplayHeight() };
      } finally {
        opened.input.dispose();
      }
    },
    async trackThrough(blob, x, y) {
      const opened = await openVideo(blob, 'bench');
      const info = await readVideoInfo(opened, 'bench');
      opened.input.dispose();
      const client = new TrackingClient();
      let unreliable = 0;
      const t0 = performance.now();
      try {
        const workerFps = await client.track(blob, 'bench', info.frameTimes, [{ from: 0, to: info.frameCount - 1, x, y }], {
          onPoints: (points) => { unreliable += points.filter((p) => !p.point.reliable).length; },
        });
        return { frames: info.frameCount, seconds: (performance.now() - t0) / 1000, workerFps, unreliable };
      } finally {
        client.dispose();
      }
    },
  };
}
