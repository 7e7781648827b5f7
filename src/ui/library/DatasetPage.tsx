import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type DragEvent, type MouseEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { DatasetController } from '../../app/library/datasetController';
import { SAMPLE_SOURCES, SAMPLE_STATUSES, type SampleRecord, type SampleSource, type SampleStatus } from '../../app/records';
import { useDatasets } from '../../app/library/datasetList';
import { screenRegistry } from '../../app/keymap';
import { EmptyState } from '../common/EmptyState';
import { isTextField } from '../common/isTextField';
import { notifyError } from '../../app/toasts';
import { collectDroppedFiles } from './collectDroppedFiles';
import { DatasetEpisodes } from './DatasetEpisodes';
import { DatasetStatsPanel } from './DatasetStatsPanel';
import { TeamIssues } from '../team/TeamIssues';
import { SampleListHeader } from './SampleListHeader';
import { SampleRow, SampleTile } from './SampleTile';
import { useSampleRecords } from './useSampleRecords';
import './library.css';

const TILE_W = 180;
const TILE_H = 176;
const ROW_H = 48;
const ACCEPT = 'image/png,image/jpeg,image/webp';

/** The page's controller, one per dataset opened, reading and writing the address's query. */
function useDatasetController(datasetId: string): DatasetController {
  const [params, setParams] = useSearchParams();
  const setParamsRef = useRef(setParams);
  setParamsRef.current = setParams;
  const controller = useMemo(
    () => new DatasetController(datasetId, {
      // As it is now: react-router's params are those of the last render, so two quick updates
      // (a click and the debounced search) would undo each other.
      read: () => window.location.search,
      replace: (search) => setParamsRef.current(new URLSearchParams(search), { replace: true }),
    }),
    [datasetId],
  );
  useEffect(() => {
    controller.open();
    return () => controller.close();
  }, [controller]);
  const search = params.toString();
  useEffect(() => controller.urlChanged(search), [controller, search]);
  return controller;
}

export default function DatasetPage() {
  const { datasetId = '' } = useParams();
  const controller = useDatasetController(datasetId);
  const snap = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const selected = useSyncExternalStore(controller.selection.subscribe, controller.selection.getSnapshot);
  const { dataset, ids, counts, total, query, version } = snap;
  const { filter, view } = query;
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  const onSelect = useCallback((id: string, e: MouseEvent) => controller.click(id, { range: e.shiftKey }), [controller]);

  useEffect(() => {
    const context = controller.commandContext();
    const onKey = (e: KeyboardEvent) => {
      if (screenRegistry('library').dispatchKey(context, e, { inTextField: isTextField(e.target) })) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);

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
  useEffect(() => virtualizer.measure(), [view, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const first = items.length ? items[0].index * columns : 0;
  const last = items.length ? (items[items.length - 1].index + 1) * columns - 1 : -1;
  const recordOf = useSampleRecords(ids, first, last, version);
  const outcomeOf = (sample: SampleRecord | undefined) => (sample?.provenance.episodeId ? snap.outcomes.get(sample.provenance.episodeId) : undefined);

  async function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    try {
      await controller.importFiles(await collectDroppedFiles(e.dataTransfer));
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
  const report = snap.report;

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
            onChange={(e) => { void controller.importFiles(Array.from(e.target.files ?? [])); e.target.value = ''; }} />
          <input ref={folderInput} type="file" hidden data-testid="folder-input" {...{ webkitdirectory: '' }}
            onChange={(e) => { void controller.importFiles(Array.from(e.target.files ?? [])); e.target.value = ''; }} />
        </div>
      </header>
      <DatasetEpisodes datasetId={datasetId} />
      <TeamIssues datasetId={datasetId} />
      {total > 0 && <DatasetStatsPanel panel={snap.stats} controller={controller} />}

      <div className="filters" role="search">
        <div className="status-counts" aria-label="Samples per status">
          <button className={`chip${!filter.status ? ' active' : ''}`} onClick={() => controller.setStatusFilter(undefined)}>All <b data-testid="count-all">{total}</b></button>
          {SAMPLE_STATUSES.map((s) => (
            <button key={s} className={`chip chip-${s}${filter.status === s ? ' active' : ''}`} onClick={() => controller.setStatusFilter(filter.status === s ? undefined : s)}>
              {s} <b data-testid={`count-${s}`}>{counts?.[s] ?? 0}</b>
            </button>
          ))}
        </div>
        <select aria-label="Source" value={filter.source ?? ''} onChange={(e) => controller.setSourceFilter((e.target.value || undefined) as SampleSource | undefined)}>
          <option value="">all sources</option>
          {SAMPLE_SOURCES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <input type="search" aria-label="Search instructions" placeholder="Search instructions" value={snap.searchText} onChange={(e) => controller.typeSearch(e.target.value)} />
        <div className="view-toggle" role="group" aria-label="View">
          <button className={`chip${view === 'grid' ? ' active' : ''}`} onClick={() => controller.setView('grid')}>Grid</button>
          <button className={`chip${view === 'list' ? ' active' : ''}`} onClick={() => controller.setView('list')}>List</button>
        </div>
        {query.sort && (
          <button className="chip active" onClick={() => controller.queueOrder()} title="Back to the queue order" aria-label={`Sorted by ${query.sort.key}, ${query.sort.dir === 'asc' ? 'ascending' : 'descending'}: back to the queue order`} data-testid="sorted-by">
            sorted by {query.sort.key} {query.sort.dir === 'asc' ? '▲' : '▼'} ×
          </button>
        )}
        <span className="muted" data-testid="shown-count">{snap.idsComplete ? `${ids.length.toLocaleString()} shown` : 'counting…'}</span>
        {snap.undoLabel && (
          <button className="btn btn-small" onClick={() => void controller.undoLast()} title={`Undo: ${snap.undoLabel} (Ctrl/⌘+Z, while this dataset is open)`} data-testid="page-undo">
            Undo: {snap.undoLabel.replace(/\.$/, '')}
          </button>
        )}
      </div>

      {report && (report.problems.length > 0 || report.duplicates.length > 0) && (
        <div className="import-report" role="alert" data-testid="import-report">
          <div className="import-report-head">
            <strong>Last import: {report.imported} imported{report.duplicates.length ? `, ${report.duplicates.length} duplicates skipped` : ''}{report.problems.length ? `, ${report.problems.length} not imported` : ''}</strong>
            <button className="btn-icon" aria-label="Close report" onClick={() => controller.dismissReport()}>×</button>
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
      ) : counts && ids.length === 0 && snap.idsComplete ? (
        <EmptyState title="No samples match these filters"><button className="btn" onClick={() => controller.clearFilters()}>Clear filters</button></EmptyState>
      ) : null}

      {selected.count > 0 && (
        <SelectionBar
          count={selected.count}
          datasetId={datasetId}
          onStatus={(status) => void controller.setSelectedStatus(status)}
          onMove={(to, name) => void controller.moveSelected(to, name)}
          onDelete={() => void controller.deleteSelected()}
          onClear={() => controller.clearSelection()}
        />
      )}
      {view === 'list' && ids.length > 0 && <SampleListHeader sort={query.sort} onSort={(key) => controller.sortBy(key)} />}
      <div ref={scroller} className={`sample-scroller${view === 'list' ? ' sample-list' : ''}`} data-testid="sample-scroller">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((row) => (
            <div key={row.key} className={view === 'grid' ? 'grid-row' : 'list-row'} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)`, height: row.size }}>
              {ids.slice(row.index * columns, row.index * columns + columns).map((id) => {
                const sample = recordOf(id);
                return view === 'grid'
                  ? <SampleTile key={id} id={id} sample={sample} href={`/annotate/${datasetId}/${id}`} selected={selected.ids.has(id)} onSelect={onSelect} />
                  : <SampleRow key={id} id={id} sample={sample} href={`/annotate/${datasetId}/${id}`} selected={selected.ids.has(id)} onSelect={onSelect} outcome={outcomeOf(sample)} />;
              })}
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
