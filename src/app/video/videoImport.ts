/**
 * What the Videos tab runs besides the editor: importing dropped or chosen files, each a job in
 * the tray, and the automation surface the browser benchmark reaches (src/app/automation.ts).
 */
import { importVideoFile } from '../../importers/video/importVideo';
import { videoAutomation } from '../../video/benchHook';
import { exposeForAutomation } from '../automation';
import { useJobs } from '../jobs/jobs';
import { notify, notifyError } from '../toasts';

/** Imports the files into the dataset one after another; each outcome (or cancel) is a toast. */
export async function importVideoFiles(files: File[], datasetId: string): Promise<void> {
  const jobs = useJobs.getState();
  for (const file of files) {
    const cancel = new AbortController();
    const job = jobs.start(`Importing ${file.name}`, file.size, () => cancel.abort());
    try {
      const { video, duplicate } = await importVideoFile(file, datasetId, { signal: cancel.signal, onProgress: (p) => jobs.progress(job, p.done, p.total) });
      notify({ kind: duplicate ? 'info' : 'success', message: duplicate ? `${file.name} is already in this dataset (as “${video.name}”).` : `Imported ${file.name}: ${video.frameCount} frames, ${video.width}×${video.height}.` });
    } catch (e) {
      if (cancel.signal.aborted) notify({ kind: 'info', message: `Import of ${file.name} cancelled; nothing was stored.` });
      else notifyError(e);
    } finally {
      jobs.finish(job);
    }
  }
}

/** Puts `window.__pathStudioVideo` up while the tab is open (when automation is on); returns its removal. */
export const exposeVideoAutomation = (): (() => void) => exposeForAutomation('__pathStudioVideo', videoAutomation());
