/**
 * One dataset export on the Export screen, whichever format: the options (with the filter) are
 * planned into a summary of what will be written, and the plan on screen is what an export writes,
 * as a job with progress and cancel through the sink. hamsterExport.ts and leRobotExport.ts say
 * what each format plans and writes.
 */
import { SnapshotStore } from '../../core/snapshotStore';
import { writeToSink, type SinkWrite } from './writeToSink';
import { errorMessage } from '../../core/errorMessage';

/** The filter's choices, for the fields that edit it. */
export { ALL_SOURCES, ALL_STATUSES, OUTCOME_LABELS, OUTCOMES } from '../../exporters/exportFilter';

/** What a format plans from the options and how it writes the plan. */
export interface ExportFormat<Options, Plan> {
  plan: (datasetId: string, options: Options) => Promise<Plan>;
  /** The options the plan depends on, as a key: a change elsewhere keeps the plan. */
  planKey: (options: Options) => string;
  /** Why these options cannot be exported, or null. */
  check?: (options: Options) => string | null;
  /** Whether the plan writes anything at all. */
  hasContent: (plan: Plan) => boolean;
  /** The file the plan becomes. */
  file: (plan: Plan, options: Options) => Omit<SinkWrite, 'cancelled'>;
}

export interface ExportState<Options, Plan> {
  options: Options;
  /** The last plan read; while `planning` it belongs to earlier options. */
  plan: Plan | null;
  planning: boolean;
  planError: string | null;
  /** Why the options cannot be exported, or null. */
  optionsError: string | null;
  /** The job writing the file, while it runs. */
  jobId: number | null;
  /** The last export's success line. */
  result: string | null;
}

/** Typing in the filter re-plans once it pauses. */
const PLAN_DELAY_MS = 150;

/** A file-name stem from a dataset name: word characters, dots and dashes only. */
export const fileStem = (s: string) => s.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'dataset';

export class ExportController<Options, Plan> extends SnapshotStore<ExportState<Options, Plan>> {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by each plan asked for: an older plan arriving late is dropped. */
  private planSeq = 0;
  private plannedKey: string | null = null;

  constructor(
    readonly datasetId: string,
    options: Options,
    private readonly format: ExportFormat<Options, Plan>,
  ) {
    super({ options, plan: null, planning: true, planError: null, optionsError: format.check?.(options) ?? null, jobId: null, result: null });
  }

  /** Plans while the panel is open; returns what closes it (a plan still being read is dropped). */
  open(): () => void {
    this.replan();
    return () => {
      clearTimeout(this.timer);
      this.planSeq++;
      this.plannedKey = null;
    };
  }

  setOptions(options: Options): void {
    this.set({ options, optionsError: this.format.check?.(options) ?? null });
    this.replan();
  }

  /** Whether an export can start now: a current plan with content, valid options, no export running. */
  canExport(): boolean {
    const s = this.getSnapshot();
    return s.jobId === null && !s.planning && s.plan !== null && this.format.hasContent(s.plan) && s.optionsError === null;
  }

  /** Writes the plan on screen (samples edited to an unusable state since are still left out by the writers). */
  async export(): Promise<void> {
    if (!this.canExport()) return;
    const { plan, options } = this.getSnapshot();
    this.set({ result: null });
    try {
      const result = await writeToSink({ ...this.format.file(plan!, options), cancelled: 'Export cancelled; no file was kept.' }, (jobId) => this.set({ jobId }));
      if (result) this.set({ result });
    } finally {
      this.set({ jobId: null });
    }
  }

  private replan(): void {
    const key = this.format.planKey(this.getSnapshot().options);
    if (key === this.plannedKey) return;
    this.plannedKey = key;
    const seq = ++this.planSeq;
    this.set({ planning: true, planError: null });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.format.plan(this.datasetId, this.getSnapshot().options).then(
        (plan) => seq === this.planSeq && this.set({ plan, planning: false }),
        (e: unknown) => seq === this.planSeq && this.set({ plan: null, planning: false, planError: errorMessage(e) }),
      );
    }, PLAN_DELAY_MS);
  }
}
