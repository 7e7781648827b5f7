import { create } from 'zustand';
import { listDatasets, type DatasetSummary } from '../../storage/datasets';

interface DatasetsState {
  datasets: DatasetSummary[];
  loaded: boolean;
  refresh: () => Promise<void>;
}

/** The dataset list, shared by the Library and the section pickers. */
export const useDatasets = create<DatasetsState>((set) => ({
  datasets: [],
  loaded: false,
  refresh: async () => set({ datasets: await listDatasets(), loaded: true }),
}));
