import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { createDataset, listDatasets, type DatasetSummary } from '../../../app/datasets';
import type { VideoRecord } from '../../../app/records';
import { exposeVideoAutomation, importVideoFiles } from '../../../app/video/videoImport';
import { formatTimecode, listVideos } from '../../../app/video/videos';
import { notify, notifyError } from '../../../app/toasts';
import { VideoEditor } from './VideoEditor';
import './video.css';

const ACCEPT = 'video/mp4,video/webm,video/quicktime,video/x-matroska,.mp4,.webm,.mov,.mkv,.m4v';

/**
 * Import → Videos: pick the dataset, drop videos, list them; `?video=<id>` opens one in the
 * timeline/tracking editor (deep-linkable without a route of its own).
 */
export default function VideoImportPanel() {
  const [params, setParams] = useSearchParams();
  const videoId = params.get('video');
  const [datasets, setDatasets] = useState<DatasetSummary[] | null>(null);
  const datasetId = params.get('dataset') ?? '';
  const [videos, setVideos] = useState<VideoRecord[]>([]);
  const [newName, setNewName] = useState('');
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => exposeVideoAutomation(), []);

  const selectDataset = useCallback((id: string) => setParams((p) => { p.set('dataset', id); return p; }, { replace: true }), [setParams]);

  useEffect(() => {
    void listDatasets().then((all) => {
      const live = all.filter((d) => d.deletedAt === undefined);
      setDatasets(live);
      if (!datasetId && live.length) selectDataset(live[0].id);
    });
  }, [datasetId, selectDataset]);

  const refresh = useCallback(async () => setVideos(datasetId ? await listVideos(datasetId) : []), [datasetId]);
  useEffect(() => void refresh(), [refresh]);

  async function onCreate() {
    try {
      const d = await createDataset(newName);
      setNewName('');
      setDatasets((all) => [...(all ?? []), { ...d } as DatasetSummary]);
      selectDataset(d.id);
    } catch (e) {
      notifyError(e);
    }
  }

  async function importFiles(files: File[]) {
    if (!datasetId) {
      notify({ kind: 'error', message: 'Choose or create a dataset first, then drop the videos again.' });
      return;
    }
    setBusy(true);
    await importVideoFiles(files, datasetId);
    setBusy(false);
    await refresh();
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    void importFiles([...e.dataTransfer.files]);
  }

  if (videoId) return <VideoEditor videoId={videoId} onClose={() => setParams((p) => { p.delete('video'); return p; })} />;

  return (
    <div
      className="video-import"
      data-testid="video-dropzone"
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div className="video-import-bar">
        <label>
          Dataset{' '}
          <select aria-label="Target dataset" value={datasetId} onChange={(e) => selectDataset(e.target.value)}>
            {!datasets?.length && <option value="">No datasets yet</option>}
            {datasets?.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </select>
        </label>
        <input aria-label="New dataset for videos" placeholder="New dataset name" value={newName} onChange={(e) => setNewName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void onCreate()} />
        <button className="btn btn-small" disabled={!newName.trim()} onClick={() => void onCreate()}>Create</button>
        <span className="spacer" />
        <button className="btn btn-primary" disabled={!datasetId || busy} onClick={() => fileInput.current?.click()}>Choose videos…</button>
        <input ref={fileInput} type="file" multiple accept={ACCEPT} hidden aria-label="Video files" onChange={(e) => { void importFiles([...(e.target.files ?? [])]); e.target.value = ''; }} />
      </div>

      {videos.length === 0 ? (
        <div className="dropzone-empty" data-testid="no-videos">
          <h2>Drop videos here</h2>
          <p>MP4 (H.264, AV1) or WebM (VP8, VP9). Each file is stored once; frames are decoded when you look at them.</p>
          <p>Then open a video, mark segments with an instruction, click the gripper tip on a segment’s first frame and track it into a path.</p>
        </div>
      ) : (
        <table className="video-list" aria-label="Imported videos">
          <thead><tr><th>Video</th><th>Codec</th><th>Size</th><th>Frames</th><th>Length</th><th>Segments</th><th /></tr></thead>
          <tbody>
            {videos.map((v) => (
              <tr key={v.id}>
                <td>{v.name}</td>
                <td>{v.codec}</td>
                <td>{v.width}×{v.height}</td>
                <td>{v.frameCount} @ {v.fps} fps</td>
                <td>{formatTimecode(v.frameCount, v.fps)}</td>
                <td>{Array.isArray(v.annotation.segments) ? v.annotation.segments.length : 0}</td>
                <td><Link className="btn btn-small" to={`?dataset=${datasetId}&video=${v.id}`}>Open {v.name}</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dragging && <div className="drop-overlay" aria-hidden="true">Drop videos to import</div>}
    </div>
  );
}
