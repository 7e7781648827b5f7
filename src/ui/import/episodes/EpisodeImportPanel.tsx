import { EmptyState } from '../../common/EmptyState';

/** Placeholder until episode import lands (owned by the episode-import work). */
export default function EpisodeImportPanel() {
  return <EmptyState title="Import robot and simulation episodes"><p>LeRobot and robomimic import arrives with the episode-import issue.</p></EmptyState>;
}
