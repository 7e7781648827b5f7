/** Opens a dropped/picked folder (or single file) with the reader that fits it. */
import type { BagImportOptions } from '../../formats/rosbag2/options';
import { DatasetError, openLeRobotDataset } from '../lerobot/dataset';
import type { ColumnRole, DatasetInspection } from './inspection';
import type { DatasetFiles, EpisodeSource } from './source';

export interface OpenSourceOptions {
  checkVideos?: boolean;
  /** Column roles chosen by the user (LeRobot; feature key → role). */
  roles?: Record<string, ColumnRole>;
  /** ROS bags: camera, CameraInfo, end-effector, gripper and cut choices (left out: automatic). */
  bag?: BagImportOptions;
}

export async function openEpisodeSource(files: DatasetFiles, opts: OpenSourceOptions = {}, h5?: typeof import('h5wasm')): Promise<EpisodeSource> {
  const paths = files.paths();
  if (files.get('meta/info.json')) return openLeRobotDataset(files, opts);
  const hdf5 = paths.filter((p) => /\.(hdf5|h5)$/i.test(p));
  if (hdf5.length) {
    const { openHdf5Dataset } = await import('../hdf5/dataset');
    return openHdf5Dataset(files, hdf5[0], h5);
  }
  // ROS bags (rosbag2 folder or .mcap): src/importers/rosbag, loaded only when needed.
  if (paths.some((p) => /(^|\/)metadata\.yaml$|\.(mcap|db3)$/i.test(p))) {
    const { openBagEpisodeSource } = await import('../rosbag/source');
    return openBagEpisodeSource(files, opts.bag);
  }
  const nested = paths.find((p) => p.endsWith('/meta/info.json'));
  if (nested) throw new DatasetError(`“${files.name}” holds a dataset one level down (${nested.replace(/\/meta\/info\.json$/, '')}): pick that folder instead.`);
  throw new DatasetError(`“${files.name}” is neither a LeRobot dataset (no meta/info.json) nor a robomimic/LIBERO HDF5 file (.hdf5), nor a ROS bag (metadata.yaml, .mcap or .db3).`);
}

/**
 * What a dataset folder or HDF5 file holds, without reading any frame: the reader's inspection
 * (format, version, fps, episodes listed/present/absent, columns with roles and one name per
 * dimension, cameras' files found and missing, problems). Pure of the DOM; `h5` is h5wasm/node in Node.
 */
export async function inspectDataset(files: DatasetFiles, h5?: typeof import('h5wasm')): Promise<DatasetInspection> {
  const source = await openEpisodeSource(files, {}, h5);
  try {
    return source.inspection!;
  } finally {
    source.close();
  }
}
