/**
 * Import > Robot & sim episodes: pick or drop a LeRobot (v2.1/v3.0) folder or a robomimic/LIBERO
 * HDF5 file, browse its episodes, set up calibration and the end effector, and turn the episodes
 * into path-labelled samples.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { openEpisodeSource } from '../../../importers/episodes/openSource';
import { datasetFilesFromEntries, type EpisodeSource } from '../../../importers/episodes/source';
import { EmptyState } from '../../common/EmptyState';
import { EpisodeWorkspace } from './EpisodeWorkspace';
import { entriesFromDrop, entriesFromInput, type FolderEntry } from './folderInput';
import './episodes.css';

export default function EpisodeImportPanel() {
  const [opened, setOpened] = useState<{ source: EpisodeSource; entries: FolderEntry[] } | null>(null);
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
      setOpened({ source, entries });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => () => opened?.source.close(), [opened]);

  if (opened) return <EpisodeWorkspace source={opened.source} entries={opened.entries} onClose={() => setOpened(null)} />;

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
          Drop a <b>LeRobot</b> dataset folder (v2.1 or v3.0, with <code>meta/</code>, <code>data/</code>, <code>videos/</code>)
          or a <b>robomimic / LIBERO</b> <code>.hdf5</code> file here. The end effector is projected into the camera image
          and each episode becomes image + instruction + path samples for the Annotate queue.
        </p>
        <div className="toolbar" style={{ justifyContent: 'center' }}>
          <button className="btn btn-primary" disabled={busy} onClick={() => folderInput.current?.click()}>Choose dataset folder…</button>
          <label className="btn">
            Choose HDF5 file…
            <input type="file" accept=".hdf5,.h5" hidden aria-label="HDF5 file" onChange={(e) => { if (e.target.files) void open(entriesFromInput(e.target.files)); e.target.value = ''; }} />
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
