import { useEffect, useState, useSyncExternalStore } from 'react';
import { IndexedDbEpisodeSink, liveDatasetId } from '../../storage/liveEpisodes';
import { FrameDecoder } from '../../robot/frameDecoder';
import { LiveSession, type LiveSnapshot } from '../../robot/liveSession';
import { RosbridgeLink } from '../../robot/rosbridgeLink';
import { workerSocketFactory } from '../../workers/workerSocket';
import { exposeForAutomation } from '../../app/automation';
import { installEvalHooks } from './evalHooks';

declare global {
  interface Window {
    /** The Live console's session, for the closed-loop evaluation harness and browser tests. */
    __pathStudioLive?: LiveSession;
  }
}

/** One session per visit to the Live section; leaving the section stops the robot and disconnects. */
export function useLiveSession(): [LiveSession, LiveSnapshot] {
  const [session] = useState(() => new LiveSession({
    // The robot's socket lives in a worker: large frames never reach the main thread.
    makeLink: (profile) => new RosbridgeLink(profile, { socketFactory: workerSocketFactory(profile.maxMessageBytes) }),
    sink: () => new IndexedDbEpisodeSink(),
    datasetId: liveDatasetId,
    decode: new FrameDecoder().decode,
  }));
  useEffect(() => {
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
  }, [session]);
  const snap = useSyncExternalStore(session.subscribe, session.getSnapshot);
  return [session, snap];
}
