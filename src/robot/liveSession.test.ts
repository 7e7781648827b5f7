import { describe, expect, it } from 'vitest';
import { LiveSession } from './liveSession';
import { SIM_PROFILE } from './profile';
import { RecordedLink } from './recordedLink';
import type { EpisodeSink } from './recorder';
import type { ResetRequest, ResetResponse } from './types';

/** A recorded robot with the simulator's reset service. */
class ResettableLink extends RecordedLink {
  resets: ResetRequest[] = [];
  async reset(req: ResetRequest): Promise<ResetResponse> {
    this.resets.push(req);
    return { seed: 8, task: 'pick_place', instruction: 'put the red cube on the plate' };
  }
}

const noSink: EpisodeSink = { begin: async () => 'e', append: async () => undefined, finish: async () => undefined };

describe('LiveSession', () => {
  it('clears the outcome shown when the scene is reset (it belonged to the old scene)', async () => {
    const link = new ResettableLink([{ t: 10, event: 'success', value: true }]);
    const session = new LiveSession({ makeLink: () => link, sink: () => noSink, datasetId: async () => 'd', decode: async () => ({ width: 1, height: 1, data: new Uint8ClampedArray(4) }) });
    session.connect(SIM_PROFILE);
    link.advance(20);
    expect(session.getSnapshot().success).toBe(true);
    await session.resetScene({ seed: 7 });
    expect(link.resets).toEqual([{ seed: 7 }]);
    expect(session.getSnapshot().success).toBeNull();
    session.dispose();
  });
});
