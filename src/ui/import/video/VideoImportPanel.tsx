import { EmptyState } from '../../common/EmptyState';

/** Placeholder until video import lands (owned by the video-import work). */
export default function VideoImportPanel() {
  return <EmptyState title="Import videos"><p>Video import (track a point into a path) arrives with the video-import issue.</p></EmptyState>;
}
