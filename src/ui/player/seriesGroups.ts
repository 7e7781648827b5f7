import type { PlayerEpisode } from '../../app/player/playerEpisode';
import type { SeriesGroup } from './SeriesPlot';

const columns = (rows: number[][], width: number) => Array.from({ length: width }, (_, j) => rows.map((r) => r[j]));

/** The plots of an episode: state, action and gripper, each left out when the episode has none. */
export function seriesGroups(episode: PlayerEpisode): { key: string; group: SeriesGroup }[] {
  const groups = [
    { key: 'state', group: { title: 'State', names: episode.stateNames, columns: columns(episode.states, episode.stateNames.length) } },
    { key: 'action', group: { title: 'Action', names: episode.actionNames, columns: columns(episode.actions, episode.actionNames.length) } },
    { key: 'gripper', group: { title: 'Gripper', names: ['closure'], columns: episode.gripper ? [episode.gripper] : [] } },
  ];
  return groups.filter((g) => g.group.columns.length && g.group.columns[0].length === episode.length);
}
