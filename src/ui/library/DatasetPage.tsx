import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type DragEvent, type MouseEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { ImageImportReport } from '../../importers/imageImport';
import { importImageFiles } from '../../app/library/imageImport';
import { getDataset } from '../../app/datasets';
import { countByStatus, querySampleIds, type SampleFilter } from '../../app/library/sampleQueries';
import { SAMPLE_SOURCES, SAMPLE_STATUSES, type DatasetRecord, type SampleSource, type SampleStatus } from '../../app/records';
import { deleteSamplesWithUndo, moveSamplesWithUndo, setStatusWithUndo } from '../../app/library/sampleActions';
import { SampleSelection } from '../../app/library/sampleSelection';
import { useDatasets } from '../../app/library/datasetList';
import { screenRegistry } from '../../app/keymap';
import { EmptyState } from '../common/EmptyState';
import { isTextField } from '../common/isTextField';
import { useJobs } from '../../app/jobs/jobs';
import { notify, notifyError } from '../../app/toasts';
import { collectDroppedFiles } from './collectDroppedFiles';
import { DatasetEpisodes } from './DatasetEpisodes';
import { SampleRow, SampleTile } from './SampleTile';
import { useSampleRecords } from './useSampleRecords';

const TILE_W = 180;
const TILE_H = 176;
const ROW_H = 48;
const ACCEPT = 'image/png,image/jpeg,image/webp';
const FIRST_PAGE = 240;

export default function DatasetPage() {
  const { datasetId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const filter: SampleFilter = {
    status: (params.get('status') as SampleStatus) || undefined,
    source: (params.get('source') as SampleSource) || undefined,
    text: params.get('q') || undefined,
  };
  const view = params.get('view') === 'list' ? 'list' : 'grid';
  const [dataset, setDataset] = useState<DatasetRecord | null | undefined>(undefined);
  const [ids, setIds] = useState<string[]>([]);
  const [counts, setCounts] = useState<Record<SampleStatus, number> | null>(null);
  const [idsComplete, setIdsComplete] = useState(false);
  const [version, setVersion] = useState(0);
  const [dragging, setDragging] = useState(false);
  const [report, setReport] = useState<ImageImportReport | null>(null);
  const [searchText, setSearchText] = useState(filter.text ?? '');
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  // A fresh selection for each dataset opened.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const selection = useMemo(() => new SampleSelection(), [datasetId]);
  const selected = useSyncExternalStore(selection.subscribe, selection.getSnapshot);
  const idsRef = useRef(ids);
  idsRef.current = ids;
  const onSelect = useCallback((id: string, e: MouseEvent) => selection.click(id, idsRef.current, { range: e.shiftKey }), [selection]);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  const filterKey = `${filter.status}|${filter.source}|${filter.text}`;
  useEffect(() => {
    void getDataset(datasetId).then((d) => setDataset(d ?? null));
  }, [datasetId]);
  useEffect(() => {
    let live = true;
    // First paint needs only the first screenful of ids; the full list (100k ids is fine) follows.
    performance.mark('library:query-start');
    void Promise.all([querySampleIds(datasetId, filter, FIRST_PAGE), countByStatus(datasetId)]).then(([first, c]) => {
      performance.measure('library:first-query', 'library:query-start');
      if (!live) return;
      setCounts(c);
      setIds(first);
      // The selection keeps only samples still listed (after a filter change, a delete or a move).
      if (first.length < FIRST_PAGE) {
        selection.retain(first);
        return setIdsComplete(true);
      }
      setIdsComplete(false);
      void querySampleIds(datasetId, filter).then((all) => {
        if (!live) return;
        setIds(all);
        selection.retain(all);
        setIdsComplete(true);
      });
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [datasetId, filterKey, version]);

  // Debounced instruction search, kept in the URL so a filtered view can be linked.
  useEffect(() => {
    if ((params.get('q') ?? '') === searchText.trim()) return;
    const t = setTimeout(() => setFilter('q', searchText.trim()), 200);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [searchText]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, [dataset]);

  const columns = view === 'grid' ? Math.max(1, Math.floor(width / TILE_W)) : 1;
  const rowCount = Math.ceil(ids.length / columns);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => (view === 'grid' ? TILE_H : ROW_H),
    overscan: 4,
  });
  const items = virtualizer.getVirtualItems();
  const first = items.length ? items[0].index * columns : 0;
  const last = items.length ? (items[items.length - 1].index + 1) * columns - 1 : -1;
  const recordOf = useSampleRecords(ids, first, last, version);

  function setFilter(key: string, value: string | undefined) {
    // Read the URL as it is now: react-router's functional update sees the params of the last
    // render, so two quick updates (a click and the debounced search) would undo each other.
    setParams(() => {
      const next = new URLSearchParams(window.location.search);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    }, { replace: true });
  }

  const runImport = useCallback(async (files: File[]) => {
    if (!files.length) return;
    const abort = new AbortController();
    const jobs = useJobs.getState();
    const jobId = jobs.start(`Importing ${files.length} files`, files.length, () => abort.abort());
    try {
      const r = await importImageFiles(datasetId, files, {
        onProgress: (done, total) => useJobs.getState().progress(jobId, done, total),
        signal: abort.signal,
      });
      setReport(r);
      if (r.cancelled) notify({ kind: 'info', message: 'Import cancelled: nothing was added.' });
      else notify({ kind: r.problems.length ? 'info' : 'success', message: `Imported ${r.imported} image${r.imported === 1 ? '' : 's'}${r.duplicates.length ? `, ${r.duplicates.length} duplicate${r.duplicates.length === 1 ? '' : 's'} skipped` : ''}${r.problems.length ? `, ${r.problems.length} file${r.problems.length === 1 ? '' : 's'} could not be imported` : ''}.` });
      setVersion((v) => v + 1);
    } catch (e) {
      notifyError(e);
    } finally {
      useJobs.getState().finish(jobId);
    }
  }, [datasetId]);

  const selectedIds = useCallback(() => [...selection.getSnapshot().ids], [selection]);
  const deleteSelected = useCallback(() => void deleteSamplesWithUndo(selectedIds(), refresh), [selectedIds, refresh]);
  useEffect(() => {
    const context = { get selected() { return selection.getSnapshot().count; }, selectAll: () => selection.selectAll(idsRef.current), clearSelection: () => selection.clear(), deleteSelected };
    const onKey = (e: KeyboardEvent) => {
      if (screenRegistry('library').dispatchKey(context, e, { inTextField: isTextField(e.target) })) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selection, deleteSelected]);

  async function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    try {
      await runImport(await collectDroppedFiles(e.dataTransfer));
    } catch (err) {
      notifyError(err);
    }
  }

  if (dataset === null) {
    return (
      <section className="page">
        <EmptyState title="Dataset not found"><p>It may have been deleted. <Link to="/library">Back to the Library</Link></p></EmptyState>
      </section>
    );
  }
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;

  return (
    <section
      className={`page dataset-page${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={(e) => { if (e.currentTarget === e.target) setDragging(false); }}
      onDrop={onDrop}
      data-testid="dataset-page"
    >
      <header className="page-header">
        <h1><Link to="/library" className="muted">Library</Link> / {dataset?.name ?? '…'}</h1>
        <div className="toolbar">
          <button className="btn btn-primary" onClick={() => fileInput.current?.click()}>Add images</button>
          <button className="btn" onClick={() => folderInput.current?.click()}>Add folder</button>
          {ids.length > 0 && <Link className="btn" to={`/annotate/${datasetId}`}>Annotate</Link>}
          <input ref={fileInput} type="file" multiple accept={ACCEPT} hidden data-testid="file-input"
            onChange={(e) => { void runImport(Array.from(e.target.files ?? [])); e.target.value = ''; }} />
          <input ref={folderInput} type="file" hidden data-testid="folder-input" {...{ webkitdirectory: '' }}
            onChange={(e) => { void runImport(Array.from(e.target.files ?? [])); e.target.value = ''; }} />
        </div>
      </header>
      <DatasetEpisodes datasetId={datasetId} />

      <div className="filters" role="search">
        <div className="status-counts" aria-label="Samples per status">
          <button className={`chip${!filter.status ? ' active' : ''}`} onClick={() => setFilter('status', undefined)}>All <b data-testid="count-all">{total}</b></button>
          {SAMPLE_STATUSES.map((s) => (
            <button key={s} className={`chip chip-${s}${filter.status === s ? ' active' : ''}`} onClick={() => setFilter('status', filter.status === s ? undefined : s)}>
              {s} <b data-testid={`count-${s}`}>{counts?.[s] ?? 0}</b>
            </button>
          ))}
        </div>
        <select aria-label="Source" value={filter.source ?? ''} onChange={(e) => setFilter('source', e.target.value)}>
          <option value="">all sources</option>
          {SAMPLE_SOURCES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <input type="search" aria-label="Search instructions" placeholder="Search instructions" value={searchText} onChange={(e) => setSearchText(e.target.value)} />
        <div className="view-toggle" role="group" aria-label="View">
          <button className={`chip${view === 'grid' ? ' active' : ''}`} onClick={() => setFilter('view', undefined)}>Grid</button>
          <button className={`chip${view === 'list' ? ' active' : ''}`} onClick={() => setFilter('view', 'list')}>List</button>
        </div>
        <span className="muted" data-testid="shown-count">{idsComplete ? `${ids.length.toLocaleString()} shown` : 'counting…'}</span>
      </div>

      {report && (report.problems.length > 0 || report.duplicates.length > 0) && (
        <div className="import-report" role="alert" data-testid="import-report">
          <div className="import-report-head">
            <strong>Last import: {report.imported} imported{report.duplicates.length ? `, ${report.duplicates.length} duplicates skipped` : ''}{report.problems.length ? `, ${report.problems.length} not imported` : ''}</strong>
            <button className="btn-icon" aria-label="Close report" onClick={() => setReport(null)}>×</button>
          </div>
          <ul>
            {report.problems.map((p) => <li key={p.fileName} data-testid="import-problem">{p.message}</li>)}
            {report.duplicates.map((f) => <li key={`dup-${f}`} className="muted">“{f}” is already in this dataset (same bytes): skipped.</li>)}
          </ul>
        </div>
      )}

      {counts && total === 0 ? (
        <div className="dropzone-empty" data-testid="empty-dataset">
          <h2>Drop images here</h2>
          <p>PNG, JPEG or WebP files, or whole folders. Or use <b>Add images</b> / <b>Add folder</b>.</p>
        </div>
      ) : counts && ids.length === 0 ? (
        <EmptyState title="No samples match these filters"><button className="btn" onClick={() => { setSearchText(''); setParams({}, { replace: true }); }}>Clear filters</button></EmptyState>
      ) : null}

      {selected.count > 0 && (
        <SelectionBar
          count={selected.count}
          datasetId={datasetId}
          onStatus={(status) => void setStatusWithUndo(selectedIds(), status, refresh)}
          onMove={(to, name) => void moveSamplesWithUndo(selectedIds(), to, name, refresh)}
          onDelete={deleteSelected}
          onClear={() => selection.clear()}
        />
      )}
      <div ref={scroller} className="sample-scroller" data-testid="sample-scroller">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((row) => (
            <div key={row.key} className={view === 'grid' ? 'grid-row' : 'list-row'} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)`, height: row.size }}>
              {ids.slice(row.index * columns, row.index * columns + columns).map((id) =>
                view === 'grid'
                  ? <SampleTile key={id} id={id} sample={recordOf(id)} href={`/annotate/${datasetId}/${id}`} selected={selected.ids.has(id)} onSelect={onSelect} />
                  : <SampleRow key={id} id={id} sample={recordOf(id)} href={`/annotate/${datasetId}/${id}`} selected={selected.ids.has(id)} onSelect={onSelect} />,
              )}
            </div>
          ))}
        </div>
      </div>
      {dragging && <div className="drop-overlay" aria-hidden="true">Drop to add to “{dataset?.name}”</div>}
    </section>
  );
}

/** What can be done to the selected samples; every change can be undone from its message. */
function SelectionBar({ count, datasetId, onStatus, onMove, onDelete, onClear }: {
  count: number;
  datasetId: string;
  onStatus: (status: SampleStatus) => void;
  onMove: (toDatasetId: string, name: string) => void;
  onDelete: () => void;
  onClear: () => void;
}) {
  const { datasets, refresh } = useDatasets();
  useEffect(() => { void refresh(); }, [refresh]);
  const others = datasets.filter((d) => d.id !== datasetId);
  return (
    <div className="selection-bar" role="toolbar" aria-label="Selected samples">
      <strong data-testid="selected-count">{count} selected</strong>
      <select aria-label="Set the status of the selected samples" value="" onChange={(e) => e.target.value && onStatus(e.target.value as SampleStatus)}>
        <option value="">Set status…</option>
        {SAMPLE_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
      </select>
      <select aria-label="Move the selected samples to" value="" disabled={!others.length} onChange={(e) => { const d = others.find((x) => x.id === e.target.value); if (d) onMove(d.id, d.name); }}>
        <option value="">{others.length ? 'Move to dataset…' : 'No other dataset to move to'}</option>
        {others.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
      </select>
      <button className="btn btn-danger" onClick={onDelete} title="Delete (Del); undo from the message">Delete</button>
      <button className="btn" onClick={onClear} title="Esc">Clear selection</button>
      <span className="muted">Ctrl/⌘+click or the box selects one, Shift+click a range, Ctrl+A all shown.</span>
    </div>
  );
}
