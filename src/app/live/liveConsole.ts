/**
 * The Live console's session: how it reaches the robot (the socket in a worker), where recordings
 * go (IndexedDB), and what runs beside it while the console is open (the snapshot refresh, the
 * evaluation harness's hooks, the automation door).
 */
import { FrameDecoder } from '../../robot/frameDecoder';
import { LiveSession } from '../../robot/liveSession';
import { RosbridgeLink } from '../../robot/rosbridgeLink';
import { IndexedDbEpisodeSink, liveDatasetId } from '../../storage/liveEpisodes';
import { workerSocketFactory } from '../../robot/workerSocket';
import { exposeForAutomation } from '../automation';
import { installEvalHooks } from './evalHooks';

declare global {
  interface Window {
    /** The Live console's session, for the closed-loop evaluation harness and browser tests. */
    __pathStudioLive?: LiveSession;
  }
}

export function createLiveSession(): LiveSession {
  return new LiveSession({
    // The robot's socket lives in a worker: large frames never reach the main thread.
    makeLink: (profile) => new RosbridgeLink(profile, { socketFactory: workerSocketFactory(profile.maxMessageBytes) }),
    sink: () => new IndexedDbEpisodeSink(),
    datasetId: liveDatasetId,
    decode: new FrameDecoder().decode,
  });
}

/** Runs what the open console needs beside `session`; the returned function stops the robot and disconnects. */
export function startLiveConsole(session: LiveSession): () => void {
  const unexpose = exposeForAutomation('__pathStudioLive', session);
  const removeEvalHooks = installEvalHooks(session);
  // Counters and countdowns change without events of their own: refresh the snapshot a few times a second.
  const timer = setInterval(() => session.refresh(), 250);
  return () => {
    clearInterval(timer);
    removeEvalHooks();
    session.dispose();
    unexpose();
  };
}
