/**
 * Import > Robot & sim episodes: pick or drop a LeRobot (v2.0/v2.1/v3.0) folder or a robomimic/LIBERO
 * HDF5 file, browse its episodes, set up calibration and the end effector, and turn the episodes
 * into path-labelled samples.
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { BagChoicesController } from '../../../app/episodes/bagChoices';
import { openEpisodeSource } from '../../../importers/episodes/openSource';
import type { ColumnRole } from '../../../importers/episodes/inspection';
import { datasetFilesFromEntries, type DatasetFiles, type EpisodeSource } from '../../../importers/episodes/source';
import { notify } from '../../../app/toasts';
import { EmptyState } from '../../common/EmptyState';
import { EpisodeWorkspace } from './EpisodeWorkspace';
import { entriesFromDrop, entriesFromInput, type FolderEntry } from './folderInput';
import './episodes.css';

export default function EpisodeImportPanel() {
  const [opened, setOpened] = useState<{ source: EpisodeSource; entries: FolderEntry[]; files: DatasetFiles; roles: Record<string, ColumnRole>; bag: BagChoicesController | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const folderInput = useRef<HTMLInputElement>(null);

  const open = useCallback(async (entries: FolderEntry[]) => {
    setError(null);
    if (!entries.length) { setError('The folder is empty.'); return; }
    setBusy(true);
    try {
      const files = datasetFilesFromEntries(entries, entries.length === 1 ? entries[0].path.replace(/\.[^.]+$/, '') : 'dataset');
      const source = await openEpisodeSource(files, { checkVideos: true });
      setOpened({ source, entries, files, roles: {}, bag: await bagChoicesFor(source) });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }, []);

  // A bag's controller owns its sources (it closes them); other sources are closed here.
  useEffect(() => (opened?.bag ? opened.bag.attach() : () => opened?.source.close()), [opened]);
  const bagSnap = useSyncExternalStore(opened?.bag?.subscribe ?? noSubscribe, opened?.bag?.getSnapshot ?? noSnapshot);

  /** Re-reads the dataset with a column's role changed (the videos were checked on opening). */
  const changeRole = useCallback(async (key: string, role: ColumnRole) => {
    if (!opened) return;
    const roles = { ...opened.roles, [key]: role };
    setBusy(true);
    try {
      const source = await openEpisodeSource(opened.files, { roles });
      setOpened({ ...opened, source, roles, bag: null });
    } catch (e) {
      notify({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  }, [opened]);

  if (opened) {
    const source = bagSnap?.source ?? opened.source;
    return <EpisodeWorkspace key={`${JSON.stringify(opened.roles)} ${bagSnap?.generation ?? 0}`} source={source} entries={opened.entries} roles={opened.roles}
      onRoleChange={source.format.startsWith('lerobot') ? (k, r) => void changeRole(k, r) : null} busy={busy} onClose={() => setOpened(null)}
      bagChoices={opened.bag} />;
  }

  return (
    <div
      className={`ep-drop${dragging ? ' dragging' : ''}`}
      data-testid="episode-dropzone"
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={() => setDragging(false)}
      onDrop={async (e) => {
        e.preventDefault();
        setDragging(false);
        await open(await entriesFromDrop(e.dataTransfer));
      }}
    >
      <EmptyState title="Import robot and simulation episodes">
        <p>
          Drop a <b>LeRobot</b> dataset folder (v2.0, v2.1 or v3.0, as downloaded from the hub — a subset of its episodes is fine — with <code>meta/</code>, <code>data/</code>, <code>videos/</code>)
          or a <b>robomimic / LIBERO</b> <code>.hdf5</code> file, or a <b>ROS bag</b> (a rosbag2 folder with <code>metadata.yaml</code>, or one <code>.mcap</code> file) here. The end effector is projected into the camera image
          and each episode becomes image + instruction + path samples for the Annotate queue.
        </p>
        <div className="toolbar" style={{ justifyContent: 'center' }}>
          <button className="btn btn-primary" disabled={busy} onClick={() => folderInput.current?.click()}>Choose dataset folder…</button>
          <label className="btn">
            Choose HDF5 or MCAP file…
            <input type="file" accept=".hdf5,.h5,.mcap" hidden aria-label="HDF5 file" onChange={(e) => { if (e.target.files) void open(entriesFromInput(e.target.files)); e.target.value = ''; }} />
          </label>
        </div>
        <input
          ref={folderInput}
          type="file"
          hidden
          aria-label="Dataset folder"
          // React does not know webkitdirectory; set it as a plain attribute.
          {...{ webkitdirectory: '', directory: '' }}
          multiple
          onChange={(e) => { if (e.target.files) void open(entriesFromInput(e.target.files)); e.target.value = ''; }}
        />
        {busy && <p aria-busy="true">Reading the dataset…</p>}
        {error && <div className="import-report" role="alert"><b>Could not open the dataset.</b> {error}</div>}
      </EmptyState>
    </div>
  );
}

const noSubscribe = () => () => {};
const noSnapshot = () => null;

/** For a ROS bag: the controller of its choices, over the session that read it (loaded with the bag reader). */
async function bagChoicesFor(source: EpisodeSource): Promise<BagChoicesController | null> {
  if (!source.bag) return null;
  const { bagSessionOf } = await import('../../../importers/rosbag/source');
  const session = bagSessionOf(source);
  return session ? new BagChoicesController(session, source) : null;
}
