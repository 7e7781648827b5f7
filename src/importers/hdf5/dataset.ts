import type { DatasetFiles, EpisodeSource } from '../episodes/source';
import { DatasetError } from '../lerobot/dataset';

export async function openHdf5Dataset(_files: DatasetFiles, path: string): Promise<EpisodeSource> {
  throw new DatasetError(`${path}: HDF5 import is not ready yet.`);
}
