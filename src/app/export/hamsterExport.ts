/** The HAMSTER / VILA SFT zip: what its export plans from the options and writes. */
import { formatBytes } from '../../core/formatBytes';
import { writeHamsterZip } from '../../exporters/hamster/exportHamster';
import { DEFAULT_HAMSTER_OPTIONS, planHamsterExport, type HamsterExportOptions, type HamsterPlan } from '../../exporters/hamster/plan';
import { resizeImage } from '../../exporters/hamster/resizeImage';
import { checkPromptTemplate } from '../../formats/hamster/records';
import { ExportController, fileStem, type ExportFormat } from './exportController';

/** What the summary and the prompt field show. */
export { SKIP_REASON_TEXT, WARNING_TEXT } from '../../exporters/hamster/audit';
export { DEFAULT_PROMPT_TEMPLATE } from '../../formats/hamster/records';

const hamsterZip: ExportFormat<HamsterExportOptions, HamsterPlan> = {
  plan: (datasetId, options) => planHamsterExport(datasetId, options),
  // Decimals, image size, simplification and the prompt change only how records are written.
  planKey: (o) => `${o.statuses.join(',')}|${o.sources.join(',')}|${o.task}|${o.validationFraction}|${o.seed}`,
  check: (o) => checkPromptTemplate(o.promptTemplate),
  hasContent: (plan) => plan.summary.included > 0,
  file: (plan, options) => ({
    fileName: `${fileStem(plan.summary.datasetName)}-hamster-sft.zip`,
    label: `Exporting ${plan.summary.datasetName} (HAMSTER zip)`,
    total: plan.summary.imageBytes,
    write: (sink, signal, progress) => writeHamsterZip(plan, options, sink, { signal, resize: resizeImage, onProgress: progress }),
    describe: (bytes, to) => `Exported ${plan.summary.included} samples (${formatBytes(bytes)}) to ${to}.`,
  }),
};

export type HamsterExportController = ExportController<HamsterExportOptions, HamsterPlan>;

export const hamsterExportController = (datasetId: string): HamsterExportController => new ExportController(datasetId, DEFAULT_HAMSTER_OPTIONS, hamsterZip);
