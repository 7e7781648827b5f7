/**
 * A ROS bag (rosbag2 folder or MCAP file) as an EpisodeSource, read with the given choices
 * (BagImportOptions; left out: the automatic ones). The source closes the bag when it is closed;
 * `bagSessionOf(source)` gives the session to read it again with other choices.
 */
import type { BagImportOptions } from '../../formats/rosbag2/options';
import type { DatasetFiles, EpisodeSource } from '../episodes/source';
import { BagSession } from './session';

export { bagSessionOf, type BagSession } from './session';

export async function openBagEpisodeSource(files: DatasetFiles, options: BagImportOptions = {}): Promise<EpisodeSource> {
  const session = await BagSession.open(files);
  return session.read(options);
}
