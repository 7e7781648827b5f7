import { useEffect, useState, useSyncExternalStore } from 'react';
import { createLiveSession, startLiveConsole } from '../../app/live/liveConsole';
import type { LiveSession, LiveSnapshot } from '../../robot/liveSession';

/** One session per visit to the Live section; leaving the section stops the robot and disconnects. */
export function useLiveSession(): [LiveSession, LiveSnapshot] {
  const [session] = useState(createLiveSession);
  useEffect(() => startLiveConsole(session), [session]);
  const snap = useSyncExternalStore(session.subscribe, session.getSnapshot);
  return [session, snap];
}
