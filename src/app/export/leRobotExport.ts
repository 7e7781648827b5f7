/**
 * The LeRobot v3.0 dataset: what its export plans from the filter and writes. Only the lazily
 * loaded LeRobot panel imports this (the writer brings mediabunny and the parquet writer).
 */
import { formatBytes } from '../../core/formatBytes';
import type { ExportFilter } from '../../exporters/exportFilter';
import { DEFAULT_LEROBOT_FILTER, planLeRobotExport, writeLeRobotZip, type LeRobotPlan } from '../../exporters/lerobot/exportLeRobot';
import { ExportController, fileStem, type ExportFormat } from './exportController';

const leRobotZip: ExportFormat<ExportFilter, LeRobotPlan> = {
  plan: planLeRobotExport,
  planKey: (filter) => JSON.stringify(filter),
  hasContent: (plan) => plan.episodes.length > 0,
  file: (plan) => {
    const folder = `${fileStem(plan.datasetName)}-lerobot`;
    return {
      fileName: `${folder}.zip`,
      label: `Exporting ${plan.datasetName} (LeRobot)`,
      total: plan.totalFrames,
      write: (sink, signal, progress) => writeLeRobotZip(plan, sink, { signal, onProgress: progress, folder }),
      describe: (bytes, to) => `Exported ${plan.episodes.length} episodes, ${plan.totalFrames} frames (${formatBytes(bytes)}) to ${to}.`,
    };
  },
};

export type LeRobotExportController = ExportController<ExportFilter, LeRobotPlan>;

export const leRobotExportController = (datasetId: string): LeRobotExportController => new ExportController(datasetId, DEFAULT_LEROBOT_FILTER, leRobotZip);
