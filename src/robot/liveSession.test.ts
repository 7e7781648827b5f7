import { describe, expect, it, vi } from 'vitest';
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

  it('stops on a lost link even when a view listening to the link status throws', () => {
    const link = new ResettableLink([]);
    const session = new LiveSession({ makeLink: () => link, sink: () => noSink, datasetId: async () => 'd', decode: async () => ({ width: 1, height: 1, data: new Uint8ClampedArray(4) }) });
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    session.connect(SIM_PROFILE);
    session.startTeleop(false);
    expect(session.getSnapshot().mode).toBe('teleop');
    const heard: string[] = [];
    session.onLinkStatusChange(() => { throw new Error('a broken view'); });
    session.onLinkStatusChange((s) => heard.push(s.state));
    link.drop();
    expect(session.getSnapshot().mode).toBe('idle'); // the safety stop ran
    expect(heard).toEqual(['reconnecting']); // and the other listener still heard it
    error.mockRestore();
    session.dispose();
  });
});
