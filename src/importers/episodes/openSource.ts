/** Opens a dropped/picked folder (or single file) with the reader that fits it. */
import { DatasetError, openLeRobotDataset } from '../lerobot/dataset';
import type { DatasetFiles, EpisodeSource } from './source';

export interface OpenSourceOptions {
  checkVideos?: boolean;
}

export async function openEpisodeSource(files: DatasetFiles, opts: OpenSourceOptions = {}): Promise<EpisodeSource> {
  const paths = files.paths();
  if (files.get('meta/info.json')) return openLeRobotDataset(files, opts);
  const hdf5 = paths.filter((p) => /\.(hdf5|h5)$/i.test(p));
  if (hdf5.length) {
    const { openHdf5Dataset } = await import('../hdf5/dataset');
    return openHdf5Dataset(files, hdf5[0]);
  }
  const nested = paths.find((p) => p.endsWith('/meta/info.json'));
  if (nested) throw new DatasetError(`“${files.name}” holds a dataset one level down (${nested.replace(/\/meta\/info\.json$/, '')}): pick that folder instead.`);
  throw new DatasetError(`“${files.name}” is neither a LeRobot dataset (no meta/info.json) nor a robomimic/LIBERO HDF5 file (.hdf5).`);
}
