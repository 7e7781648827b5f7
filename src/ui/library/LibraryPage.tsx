import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { createDataset, DELETE_UNDO_WINDOW_MS, renameDataset, restoreDataset, softDeleteDataset } from '../../app/datasets';
import { EmptyState } from '../common/EmptyState';
import { useDatasets } from '../../app/library/datasetList';
import { notify, notifyError } from '../../app/toasts';
import { TeamSyncBadge } from '../settings/TeamSyncBadge';

export default function LibraryPage() {
  const { datasets, loaded, refresh } = useDatasets();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<{ id: string; name: string } | null>(null);
  const navigate = useNavigate();

  useEffect(() => {
    void refresh();
  }, [refresh]);

  async function onCreate(e: FormEvent) {
    e.preventDefault();
    try {
      const d = await createDataset(name);
      setName('');
      await refresh();
      navigate(`/library/${d.id}`);
    } catch (err) {
      notifyError(err);
    }
  }

  async function onRename(e: FormEvent) {
    e.preventDefault();
    if (!renaming) return;
    try {
      await renameDataset(renaming.id, renaming.name);
      setRenaming(null);
      await refresh();
    } catch (err) {
      notifyError(err);
    }
  }

  async function onDelete(id: string, dsName: string) {
    setConfirmDelete(null);
    try {
      await softDeleteDataset(id);
      await refresh();
      notify({
        kind: 'info',
        message: `Deleted “${dsName}”.`,
        ttl: DELETE_UNDO_WINDOW_MS,
        action: { label: 'Undo', run: () => void restoreDataset(id).then(refresh).catch(notifyError) },
      });
    } catch (err) {
      notifyError(err);
    }
  }

  return (
    <section className="page">
      <header className="page-header">
        <h1>Library</h1>
        <form className="inline-form" onSubmit={onCreate}>
          <input aria-label="New dataset name" placeholder="New dataset name" value={name} onChange={(e) => setName(e.target.value)} />
          <button className="btn btn-primary" type="submit" disabled={!name.trim()}>Create dataset</button>
        </form>
      </header>
      {loaded && datasets.length === 0 && (
        <EmptyState title="No datasets yet">
          <p>Create a dataset, then drop images, folders, videos or robot episodes into it.</p>
        </EmptyState>
      )}
      <ul className="dataset-list" aria-label="Datasets">
        {datasets.map((d) => (
          <li key={d.id} className="dataset-card" data-testid="dataset-card">
            {renaming?.id === d.id ? (
              <form className="inline-form" onSubmit={onRename}>
                <input aria-label="Dataset name" autoFocus value={renaming.name} onChange={(e) => setRenaming({ id: d.id, name: e.target.value })}
                  onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)} />
                <button className="btn btn-small btn-primary" type="submit">Save</button>
                <button className="btn btn-small" type="button" onClick={() => setRenaming(null)}>Cancel</button>
              </form>
            ) : (
              <Link to={`/library/${d.id}`} className="dataset-name">{d.name}</Link>
            )}
            <span className="muted">{d.sampleCount.toLocaleString()} samples</span>
            <TeamSyncBadge datasetId={d.id} />
            <span className="spacer" />
            <button className="btn btn-small" onClick={() => setRenaming({ id: d.id, name: d.name })}>Rename</button>
            <button className="btn btn-small btn-danger" onClick={() => setConfirmDelete({ id: d.id, name: d.name })}>Delete</button>
          </li>
        ))}
      </ul>
      {confirmDelete && (
        <div className="modal-backdrop" role="presentation" onClick={() => setConfirmDelete(null)}>
          <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" onClick={(e) => e.stopPropagation()}>
            <h2 id="confirm-title">Delete “{confirmDelete.name}”?</h2>
            <p>The dataset and its samples disappear. You can undo this for {DELETE_UNDO_WINDOW_MS / 1000} seconds.</p>
            <div className="modal-actions">
              <button className="btn" autoFocus onClick={() => setConfirmDelete(null)}>Keep it</button>
              <button className="btn btn-danger" onClick={() => void onDelete(confirmDelete.id, confirmDelete.name)}>Delete</button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
