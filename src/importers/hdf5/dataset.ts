/**
 * Thin loader: a robomimic / robosuite / LIBERO HDF5 file as an EpisodeSource, through h5wasm.
 * The file is copied into h5wasm's in-memory file system (HDF5 needs random access; the file is
 * held once, frames are read one slice at a time).
 */
import type { ColumnRole, DatasetInspection, InspectedColumn } from '../episodes/inspection';
import type { DatasetFiles, EpisodeSource, FrameReader } from '../episodes/source';
import { checkSuperblock } from '../../formats/hdf5/superblock';
import { DatasetError } from '../lerobot/dataset';
import { demoCalibration, Hdf5LayoutError, readDemoFrame, readDemoTable, readRobomimicLayout, type H5Group, type RobomimicLayout } from './robomimic';
import { errorMessage } from '../../core/errorMessage';

type H5Module = typeof import('h5wasm');

let counter = 0;

/** `h5` is injected in Node tests (h5wasm/node); the browser loads h5wasm lazily. */
export async function openHdf5Dataset(files: DatasetFiles, path: string, h5?: H5Module): Promise<EpisodeSource> {
  const blob = files.get(path);
  if (!blob) throw new DatasetError(`${path} is missing.`);
  const fileName0 = path.split('/').pop()!;
  // Empty or cut short: say so from the superblock, before the library opens what is left of it.
  const sb = checkSuperblock(new Uint8Array(await blob.slice(0, 1024).arrayBuffer()), blob.size);
  if (sb.kind === 'empty') throw new DatasetError(`${fileName0} is empty (0 bytes). Copy or download it again.`);
  if (sb.kind === 'truncated') throw new DatasetError(`${fileName0} is truncated: its header says the file is ${sb.endOfFile.toLocaleString('en')} bytes long, but it is ${sb.size.toLocaleString('en')} (the copy or download stopped early). Copy or download it again.`);
  const mod = h5 ?? (await import('h5wasm'));
  const { FS } = await mod.ready;
  const fileName = path.split('/').pop()!;
  // /tmp exists in both Emscripten MEMFS (browser) and the real file system (h5wasm/node in tests).
  const local = `/tmp/episode-import-${Date.now()}-${counter++}.h5`;
  FS.writeFile(local, new Uint8Array(await blob.arrayBuffer()));
  let file: InstanceType<H5Module['File']>;
  try {
    file = new mod.File(local, 'r');
  } catch (e) {
    FS.unlink(local);
    throw new DatasetError(`${fileName} is not a readable HDF5 file (${errorMessage(e)}).`);
  }
  const close = () => { try { file.close(); FS.unlink(local); } catch { /* already closed */ } };
  const root = file as unknown as H5Group;
  let layout;
  try {
    layout = readRobomimicLayout(root, fileName);
  } catch (e) {
    close();
    throw e instanceof Hdf5LayoutError ? new DatasetError(e.message) : e;
  }
  const inspection = robomimicInspection(layout, path);
  const demoOf = (index: number) => {
    const d = layout.demos.find((x) => x.index === index);
    if (!d) throw new DatasetError(`Demo ${index} is not in ${fileName}.`);
    return d;
  };
  return {
    format: 'robomimic-hdf5',
    name: files.name,
    fps: 20,
    robotType: layout.flavour,
    stateNames: layout.stateNames,
    actionNames: layout.actionNames,
    cameras: layout.cameras.map((c) => ({ key: c.key, width: c.width, height: c.height, codec: 'raw', missingFiles: [] })),
    episodes: layout.demos.map((d) => ({ index: d.index, task: layout.task, length: d.length })),
    problems: inspection.problems,
    inspection,
    eeStateIndices: [0, 1, 2],
    gripperStateIndex: offsetOf(layout, /gripper/),
    gripperIsClosure01: false,
    calibration(camera, episode) {
      const cam = layout.cameras.find((c) => c.key === camera);
      const demo = layout.demos.find((d) => d.index === episode);
      if (!cam || !demo) return null;
      const cal = demoCalibration(root, demo, cam);
      return cal ? { ...cal, width: cam.width, height: cam.height } : null;
    },
    async readEpisode(index) {
      return readDemoTable(root, layout, demoOf(index));
    },
    async frameReader(episode, camera): Promise<FrameReader | null> {
      const cam = layout.cameras.find((c) => c.key === camera);
      if (!cam) return null;
      const demo = demoOf(episode);
      const bitmap = (i: number) => createImageBitmap(new ImageData(readDemoFrame(root, layout, demo, cam, i) as Uint8ClampedArray<ArrayBuffer>, cam.width, cam.height));
      return {
        fileName: `${path}:/data/${demo.key}/obs/${cam.key}`,
        fromTimestamp: 0,
        frame: bitmap,
        async *frames(indices) { for (const i of indices) yield { index: i, bitmap: await bitmap(i) }; },
      };
    },
    close,
  };
}

/** Offset in the state vector of the first low-dim key matching `re`. */
function offsetOf(layout: RobomimicLayout, re: RegExp): number | null {
  const i = layout.stateNames.findIndex((n) => re.test(n.slice(0, n.lastIndexOf('.'))));
  return i >= 0 ? i : null;
}

/** The file described as the LeRobot reader describes a folder (every demo is on disk; frames are raw arrays). */
function robomimicInspection(layout: RobomimicLayout, path: string): DatasetInspection {
  const columns: InspectedColumn[] = layout.lowDimKeys.map((key) => {
    const role: ColumnRole = key === layout.eeKey ? 'ee' : /gripper/.test(key) ? 'gripper' : 'state';
    const names = layout.stateNames.filter((n) => n.startsWith(`${key}.`));
    return { key: `obs/${key}`, role, detected: role, names, dtype: 'float', shape: [names.length] };
  });
  if (layout.actionNames.length) columns.push({ key: 'actions', role: 'action', detected: 'action', names: layout.actionNames, dtype: 'float', shape: [layout.actionNames.length] });
  for (const c of layout.cameras) columns.push({ key: `obs/${c.key}`, role: 'camera', detected: 'camera', names: [], dtype: 'uint8', shape: [c.height, c.width, 3] });
  return {
    format: 'robomimic-hdf5',
    version: layout.flavour,
    fps: null,
    episodes: { listed: layout.demos.length, present: layout.demos.length, absent: [] },
    columns,
    cameras: layout.cameras.map((c) => ({ key: c.key, codec: 'raw', width: c.width, height: c.height, found: [path], missing: [], episodesWithout: [] })),
    problems: [...layout.problems, 'robomimic does not store the frame rate; 20 Hz is assumed.'],
  };
}
