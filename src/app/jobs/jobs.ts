import { create } from 'zustand';

/** Long-running work (imports, exports…) with progress and cancel, shown in the job tray. */
export interface Job {
  id: number;
  label: string;
  done: number;
  total: number;
  startedAt: number;
  cancel?: () => void;
  /** What the job is doing now, when its count alone would not say (e.g. loading a library). */
  detail?: string;
}

interface JobsState {
  jobs: Job[];
  start: (label: string, total: number, cancel?: () => void) => number;
  progress: (id: number, done: number, total?: number) => void;
  describe: (id: number, detail: string | undefined) => void;
  finish: (id: number) => void;
}

let nextId = 1;

export const useJobs = create<JobsState>((set, get) => ({
  jobs: [],
  start: (label, total, cancel) => {
    const id = nextId++;
    set({ jobs: [...get().jobs, { id, label, done: 0, total, startedAt: performance.now(), cancel }] });
    return id;
  },
  progress: (id, done, total) =>
    set({ jobs: get().jobs.map((j) => (j.id === id ? { ...j, done, total: total ?? j.total } : j)) }),
  describe: (id, detail) => set({ jobs: get().jobs.map((j) => (j.id === id ? { ...j, detail } : j)) }),
  finish: (id) => set({ jobs: get().jobs.filter((j) => j.id !== id) }),
}));

/** Seconds left, from the rate so far; null until there is enough to go on. */
export function etaSeconds(job: Job, now = performance.now()): number | null {
  if (job.done < 1 || job.total <= job.done) return null;
  const rate = job.done / (now - job.startedAt);
  return Math.round((job.total - job.done) / rate / 1000);
}
