import 'fake-indexeddb/auto';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDataset } from '../../storage/datasets';
import { setDb, StudioDatabase } from '../../storage/db';
import { addSamplesWithAssets } from '../../storage/samples';
import { ExportCancelledError, type ExportSink } from '../../exporters/sink';
import { useJobs } from '../jobs/jobs';
import { useToasts } from '../toasts';
import { ExportController, fileStem, type ExportFormat } from './exportController';
import { hamsterExportController } from './hamsterExport';

/** The sink the save picker "returns" next (null: the person closed it). */
const picker = vi.hoisted(() => ({ sink: null as ExportSink | null }));
vi.mock('../../exporters/sink', async (original) => ({ ...(await original<typeof import('../../exporters/sink')>()), openSink: async () => picker.sink }));

class MemorySink implements ExportSink {
  name = 'memory.zip';
  parts: Blob[] = [];
  closed = false;
  async write(c: Blob) {
    this.parts.push(c);
  }
  async close() {
    this.closed = true;
  }
  async abort() {
    this.parts = [];
  }
  async bytes() {
    return new Uint8Array(await new Blob(this.parts).arrayBuffer());
  }
}

const lastToast = () => useToasts.getState().toasts.at(-1);

beforeEach(() => {
  useToasts.setState({ toasts: [] });
  picker.sink = new MemorySink();
});

interface Options { task: string; decimals: number }
interface Plan { task: string; count: number }

/** A format whose plans resolve when the test says; `writes` says how each export goes. */
function fakeFormat(writes: (sink: ExportSink) => Promise<number> = async () => 10) {
  const asked: { options: Options; resolve: (p: Plan) => void; reject: (e: Error) => void }[] = [];
  const format: ExportFormat<Options, Plan> = {
    plan: (_datasetId, options) => new Promise<Plan>((resolve, reject) => asked.push({ options, resolve, reject })),
    planKey: (o) => o.task,
    check: (o) => (o.decimals < 0 ? 'decimals cannot be negative' : null),
    hasContent: (p) => p.count > 0,
    file: (plan) => ({ fileName: 'x.zip', label: 'Exporting x', total: plan.count, write: (sink) => writes(sink), describe: (bytes, to) => `Wrote ${bytes} bytes to ${to}.` }),
  };
  return { format, asked };
}

describe('ExportController', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('plans once typing pauses, keeps the plan when only unplanned options change, and drops a plan that arrives late', async () => {
    const { format, asked } = fakeFormat();
    const c = new ExportController('d1', { task: '', decimals: 2 }, format);
    const close = c.open();
    expect(c.getSnapshot()).toMatchObject({ planning: true, plan: null });
    c.setOptions({ task: 'p', decimals: 2 });
    c.setOptions({ task: 'pi', decimals: 2 });
    await vi.advanceTimersByTimeAsync(150);
    expect(asked.map((a) => a.options.task)).toEqual(['pi']);
    asked[0].resolve({ task: 'pi', count: 2 });
    await vi.advanceTimersByTimeAsync(0);
    expect(c.getSnapshot()).toMatchObject({ planning: false, plan: { task: 'pi', count: 2 } });
    expect(c.canExport()).toBe(true);

    c.setOptions({ task: 'pi', decimals: 3 });
    await vi.advanceTimersByTimeAsync(150);
    expect(asked).toHaveLength(1);
    expect(c.getSnapshot().planning).toBe(false);

    // "pick" is asked for, then "push": "pick"'s plan arriving last is not shown.
    c.setOptions({ task: 'pick', decimals: 3 });
    await vi.advanceTimersByTimeAsync(150);
    c.setOptions({ task: 'push', decimals: 3 });
    expect(c.canExport()).toBe(false); // the plan on screen no longer matches the options
    await vi.advanceTimersByTimeAsync(150);
    asked[2].resolve({ task: 'push', count: 1 });
    asked[1].resolve({ task: 'pick', count: 5 });
    await vi.advanceTimersByTimeAsync(0);
    expect(c.getSnapshot().plan).toEqual({ task: 'push', count: 1 });

    // Closed: a plan in flight is dropped; opened again, it plans anew.
    c.setOptions({ task: 'wipe', decimals: 3 });
    await vi.advanceTimersByTimeAsync(150);
    close();
    asked[3].resolve({ task: 'wipe', count: 9 });
    await vi.advanceTimersByTimeAsync(0);
    expect(c.getSnapshot().plan).toEqual({ task: 'push', count: 1 });
    c.open();
    await vi.advanceTimersByTimeAsync(150);
    expect(asked).toHaveLength(5);
  });

  it('says why options or a plan cannot be exported', async () => {
    const { format, asked } = fakeFormat();
    const c = new ExportController('d1', { task: '', decimals: -1 }, format);
    c.open();
    expect(c.getSnapshot().optionsError).toBe('decimals cannot be negative');
    await vi.advanceTimersByTimeAsync(150);
    asked[0].resolve({ task: '', count: 3 });
    await vi.advanceTimersByTimeAsync(0);
    expect(c.canExport()).toBe(false);
    c.setOptions({ task: '', decimals: 1 });
    expect(c.getSnapshot().optionsError).toBeNull();
    expect(c.canExport()).toBe(true);

    c.setOptions({ task: 'none', decimals: 1 });
    await vi.advanceTimersByTimeAsync(150);
    asked[1].resolve({ task: 'none', count: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(c.canExport()).toBe(false); // nothing to write

    c.setOptions({ task: 'gone', decimals: 1 });
    await vi.advanceTimersByTimeAsync(150);
    asked[2].reject(new Error('That dataset no longer exists.'));
    await vi.advanceTimersByTimeAsync(0);
    expect(c.getSnapshot()).toMatchObject({ plan: null, planning: false, planError: 'That dataset no longer exists.' });
  });
});

describe('exporting through the sink', () => {
  async function planned(writes?: (sink: ExportSink) => Promise<number>) {
    const { format, asked } = fakeFormat(writes);
    const c = new ExportController('d1', { task: '', decimals: 2 }, format);
    c.open();
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    asked[0].resolve({ task: '', count: 3 });
    await vi.waitFor(() => expect(c.getSnapshot().planning).toBe(false));
    return c;
  }

  it('runs the export as a job and shows the result', async () => {
    let jobDuringWrite: number | null = null;
    const c = await planned(async () => {
      jobDuringWrite = c.getSnapshot().jobId;
      expect(useJobs.getState().jobs.map((j) => j.label)).toEqual(['Exporting x']);
      return 1234;
    });
    await c.export();
    expect(jobDuringWrite).not.toBeNull();
    expect(c.getSnapshot()).toMatchObject({ jobId: null, result: 'Wrote 1234 bytes to memory.zip.' });
    expect(lastToast()).toMatchObject({ kind: 'success', message: 'Wrote 1234 bytes to memory.zip.' });
    expect(useJobs.getState().jobs).toEqual([]);
  });

  it('keeps nothing when the picker is closed, says so when cancelled, and shows a write error', async () => {
    const c = await planned(async () => {
      throw new ExportCancelledError();
    });
    picker.sink = null;
    await c.export();
    expect(lastToast()).toBeUndefined();
    picker.sink = new MemorySink();
    await c.export();
    expect(lastToast()).toMatchObject({ kind: 'info', message: 'Export cancelled; no file was kept.' });
    expect(c.getSnapshot()).toMatchObject({ jobId: null, result: null });

    const failing = await planned(async () => {
      throw new Error('The disk is full.');
    });
    await failing.export();
    expect(lastToast()).toMatchObject({ kind: 'error', message: 'The disk is full.' });
  });
});

describe('the HAMSTER export', () => {
  let n = 0;
  beforeEach(() => setDb(new StudioDatabase(`export-controller-${n++}`)));

  it('plans the dataset from the filter and writes the plan on screen', async () => {
    const d = await createDataset('kitchen / left');
    const asset = { id: 'a'.repeat(64), blob: new Blob(['img']), mime: 'image/jpeg', size: 3, width: 4, height: 3, createdAt: 1 };
    const path = { initialGripper: 'open' as const, points: [{ x: 0.1, y: 0.2, gripper: 'open' as const }, { x: 0.5, y: 0.5, gripper: 'closed' as const }] };
    await addSamplesWithAssets(d.id, [asset], [
      { assetId: asset.id, source: 'image', instruction: 'pick the cup', path, status: 'done' },
      { assetId: asset.id, source: 'image', instruction: 'wipe the table', path, status: 'draft' },
      { assetId: asset.id, source: 'image', instruction: 'no path yet', path: null, status: 'done' },
    ]);
    const c = hamsterExportController(d.id);
    c.open();
    await vi.waitFor(() => expect(c.getSnapshot().planning).toBe(false));
    expect(c.getSnapshot().plan!.summary).toMatchObject({ datasetName: 'kitchen / left', included: 1, skipped: [{ reason: 'no_path' }] });

    c.setOptions({ ...c.getSnapshot().options, promptTemplate: 'no placeholder' });
    expect(c.getSnapshot().optionsError).toMatch(/\{instruction\}/);
    c.setOptions({ ...c.getSnapshot().options, statuses: ['draft', 'done'], promptTemplate: 'Do: {instruction}' });
    expect(c.canExport()).toBe(false);
    await vi.waitFor(() => expect(c.getSnapshot().planning).toBe(false));
    expect(c.getSnapshot().plan!.summary.included).toBe(2);

    const sink = new MemorySink();
    picker.sink = sink;
    await c.export();
    expect(c.getSnapshot().result).toMatch(/^Exported 2 samples \(.+\) to memory\.zip\.$/);
    const data = JSON.parse(strFromU8(unzipSync(await sink.bytes())['data.json']));
    expect(data.map((r: { conversations: { value: string }[] }) => r.conversations[0].value)).toEqual(['<image>\nDo: pick the cup', '<image>\nDo: wipe the table']);
  });

  it('names files after the dataset with word characters only', () => {
    expect(fileStem('kitchen / left')).toBe('kitchen_left');
    expect(fileStem('***')).toBe('dataset');
  });
});
