/**
 * Import > Robot & sim episodes: pick or drop a LeRobot (v2.0/v2.1/v3.0) folder or a robomimic/LIBERO
 * HDF5 file, browse its episodes, set up calibration and the end effector, and turn the episodes
 * into path-labelled samples.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useParams } from 'react-router-dom';
import { EpisodeImportController } from '../../../app/episodes/episodeImportController';
import { EmptyState } from '../../common/EmptyState';
import { EpisodeWorkspace } from './EpisodeWorkspace';
import { entriesFromDrop, entriesFromInput } from './folderInput';
import './episodes.css';

export default function EpisodeImportPanel() {
  const { datasetId } = useParams();
  const [controller] = useState(() => new EpisodeImportController(datasetId ?? null));
  useEffect(() => controller.attach(), [controller]);
  const { opened, busy, error } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const [dragging, setDragging] = useState(false);
  const folderInput = useRef<HTMLInputElement>(null);

  if (opened) {
    return <EpisodeWorkspace key={opened.generation} opened={opened} busy={busy}
      onRoleChange={opened.canChangeRoles ? (k, r) => void controller.changeRole(k, r) : null} onClose={() => controller.close()} />;
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
        await controller.open(await entriesFromDrop(e.dataTransfer));
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
            <input type="file" accept=".hdf5,.h5,.mcap" hidden aria-label="HDF5 file" onChange={(e) => { if (e.target.files) void controller.open(entriesFromInput(e.target.files)); e.target.value = ''; }} />
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
          onChange={(e) => { if (e.target.files) void controller.open(entriesFromInput(e.target.files)); e.target.value = ''; }}
        />
        {busy && <p aria-busy="true">Reading the dataset…</p>}
        {error && <div className="import-report" role="alert"><b>Could not open the dataset.</b> {error}</div>}
      </EmptyState>
    </div>
  );
}
