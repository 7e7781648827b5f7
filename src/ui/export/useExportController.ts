import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ExportController, ExportState } from '../../app/export/exportController';

/** The panel's export controller (made once per panel, planning while it is mounted) and its snapshot. */
export function useExportController<Options, Plan>(create: () => ExportController<Options, Plan>): [ExportController<Options, Plan>, ExportState<Options, Plan>] {
  const [controller] = useState(create);
  useEffect(() => controller.open(), [controller]);
  return [controller, useSyncExternalStore(controller.subscribe, controller.getSnapshot)];
}
