import { useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { simplifyStroke } from './simplifyStroke';
import { SAMPLE_STATUSES } from '../../storage';
import { EmptyState } from '../common/EmptyState';
import { useDatasets } from '../state/datasets';
import { notify, notifyError } from '../state/toasts';
import { annotateRegistry, advanceToNextUnfinished, type AnnotateContext } from './annotateCommands';
import { EditorCanvas } from './EditorCanvas';
import { HamsterText } from './HamsterText';
import { HelpOverlay, withKeys } from './HelpOverlay';
import { getActivePlanner, NO_PLANNER_REASON, subscribePlanner } from './planner';
import { AnnotateSession, type AnnotateMode, type SessionState } from './session';
import { shallowEqual, useEditorValue } from './useEditorValue';
import './annotate.css';

export default function AnnotatePage() {
  const { datasetId, sampleId } = useParams();
  if (!datasetId) return <DatasetChooser />;
  return <AnnotateWorkspace key={datasetId} datasetId={datasetId} sampleId={sampleId ?? null} />;
}

function DatasetChooser() {
  const { datasets, loaded, refresh } = useDatasets();
  useEffect(() => void refresh(), [refresh]);
  return (
    <section className="page">
      <h1>Annotate</h1>
      {loaded && datasets.length === 0 ? (
        <EmptyState title="Nothing to annotate yet">
          <p>
            Create a dataset and add images in the <Link to="/library">Library</Link> first.
          </p>
        </EmptyState>
      ) : (
        <ul className="dataset-list">
          {datasets.map((d) => (
            <li key={d.id} className="dataset-card">
              <Link className="dataset-name" to={`/annotate/${d.id}`}>
                {d.name}
              </Link>
              <span className="muted">{d.sampleCount} samples</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AnnotateWorkspace({ datasetId, sampleId }: { datasetId: string; sampleId: string | null }) {
  const [session, setSession] = useState<AnnotateSession | null>(null);
  // Created in an effect (not during render) so StrictMode's mount-unmount-mount gets a fresh one.
  useEffect(() => {
    const s = new AnnotateSession(datasetId, { simplifyStroke });
    setSession(s);
    void s.start();
    const flushOnHide = () => void s.flush();
    window.addEventListener('pagehide', flushOnHide);
    return () => {
      window.removeEventListener('pagehide', flushOnHide);
      void s.dispose();
    };
  }, [datasetId]);
  if (!session) return <div className="page-loading">Loading…</div>;
  return <Workspace session={session} datasetId={datasetId} sampleId={sampleId} />;
}

const isTextField = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');

function Workspace({ session, datasetId, sampleId }: { session: AnnotateSession; datasetId: string; sampleId: string | null }) {
  const editor = session.editor;
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const mode: AnnotateMode = params.get('mode') === 'review' ? 'review' : 'annotate';
  const [helpOpen, setHelpOpen] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const planner = useSyncExternalStore(subscribePlanner, getActivePlanner);
  const instructionInput = useRef<HTMLInputElement>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const requested = useRef<string | null>(null);

  const urlOf = useCallback((id: string) => `/annotate/${datasetId}/${id}${mode === 'review' ? '?mode=review' : ''}`, [datasetId, mode]);

  const go = useCallback(
    (id: string) => {
      requested.current = id;
      void session.open(id);
      navigate(urlOf(id), { replace: true });
    },
    [session, navigate, urlOf],
  );

  useEffect(() => session.setMode(mode), [session, mode]);

  // Open the sample the address names (or the first unfinished one when it names none).
  useEffect(() => {
    if (!state.loaded) return;
    if (!sampleId) {
      const first = session.firstId();
      if (first) go(first);
      return;
    }
    if (requested.current !== sampleId) {
      requested.current = sampleId;
      void session.open(sampleId);
    }
  }, [state.loaded, sampleId, session, go]);

  const ui = useRef<AnnotateContext['ui'] | null>(null);
  useLayoutEffect(() => {
    ui.current = {
      go,
      toggleHelp: () => setHelpOpen((open) => !open),
      focusInstruction: () => instructionInput.current?.focus(),
      focusText: () => textArea.current?.focus(),
      startReject: () => setRejecting(true),
      toggleReviewMode: () =>
        setParams((p) => {
          const next = new URLSearchParams(p);
          if (next.get('mode') === 'review') next.delete('mode');
          else next.set('mode', 'review');
          return next;
        }, { replace: true }),
      newPath: () =>
        void session.addPathOnSameImage().then((id) => {
          if (!id) return;
          go(id);
          instructionInput.current?.focus();
        }),
      copyPreviousPath: () =>
        void session.copyPreviousPath().then((copied) => {
          if (!copied) notify({ kind: 'info', message: 'The previous sample has no path to copy.' });
        }),
      suggestPath: () => {
        const image = session.getSnapshot().image;
        const instruction = session.getSnapshot().sample?.instruction ?? '';
        if (!planner || !image) return;
        planner
          .suggest({ image: image.bitmap, instruction })
          .then((path) => editor.setPath(path))
          .catch(notifyError);
      },
      plannerAvailable: planner !== null,
    };
  });

  const context = useCallback((): AnnotateContext => ({ editor, session, state: session.getSnapshot(), ui: ui.current! }), [editor, session]);

  // The one key handler of the screen.
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const inText = isTextField(e.target);
      if (e.code === 'Space' && !inText) {
        e.preventDefault();
        editor.setSpaceHeld(true);
        return;
      }
      if (annotateRegistry.dispatchKey(context(), e, { inTextField: inText })) e.preventDefault();
    };
    const onKeyUp = (e: KeyboardEvent) => e.code === 'Space' && editor.setSpaceHeld(false);
    const onBlur = () => editor.setSpaceHeld(false);
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
    };
  }, [editor, context]);

  const run = (id: string) => annotateRegistry.run(id, context());
  const can = (id: string) => annotateRegistry.get(id)!.enabled(context());
  // Re-render toolbar state when these editor facts change (not on every pointer move).
  useEditorValue(
    editor,
    (s) => ({ scale: s.view.scale, canUndo: s.canUndo, canRedo: s.canRedo, selection: s.selection, overlay: s.overlayVisible, snapping: s.snapping, points: s.path.points.length, gesture: s.gestureActive }),
    shallowEqual,
  );

  const getImage = useCallback(() => session.getSnapshot().image, [session]);

  if (state.loaded && state.entries.length === 0) {
    return (
      <section className="page">
        <EmptyState title="This dataset has no samples">
          <p>
            Add images to it in the <Link to={`/library/${datasetId}`}>Library</Link>.
          </p>
        </EmptyState>
      </section>
    );
  }

  const sample = state.sample;
  const snapshot = editor.getSnapshot();
  return (
    <section className="annotate-page" data-testid="annotate-page" data-mode={mode} data-sample-id={sample?.id ?? ''}>
      <div className="annotate-main">
        <div className="annotate-toolbar" role="toolbar" aria-label="Editor tools">
          <ToolButton id="editor.undo" label="↶ Undo" run={run} can={can} />
          <ToolButton id="editor.redo" label="↷ Redo" run={run} can={can} />
          <span className="toolbar-sep" />
          <ToolButton id="editor.zoomOut" label="−" run={run} can={can} />
          <span className="zoom-readout" data-testid="zoom">{Math.round(snapshot.view.scale * 100)}%</span>
          <ToolButton id="editor.zoomIn" label="+" run={run} can={can} />
          <ToolButton id="editor.fit" label="Fit" run={run} can={can} />
          <ToolButton id="editor.actualSize" label="1:1" run={run} can={can} />
          <span className="toolbar-sep" />
          <ToolButton id="editor.toggleGripper" label="Gripper" run={run} can={can} />
          <ToolButton id="editor.deletePoint" label="Delete point" run={run} can={can} />
          <ToolButton id="sample.copyPrevious" label="Copy previous" run={run} can={can} />
          <ToolButton id="editor.toggleOverlay" label="Overlay" run={run} can={can} pressed={snapshot.overlayVisible} />
          <ToolButton id="editor.toggleSnapping" label="Snap" run={run} can={can} pressed={snapshot.snapping} />
          <span className="spacer" />
          <span className="suggest-wrap" title={planner ? withKeys('sample.suggest') : NO_PLANNER_REASON} data-testid="suggest-reason">
            <button className="btn btn-small" disabled={!can('sample.suggest')} onClick={() => run('sample.suggest')}>
              ✦ Suggest path
            </button>
          </span>
          <button className="btn btn-small" onClick={() => setHelpOpen(true)} title={withKeys('ui.help')}>
            ? Shortcuts
          </button>
        </div>
        <EditorCanvas editor={editor} getImage={getImage} subscribeImage={session.subscribe} />
        <StatusLine session={session} />
      </div>
      <aside className="annotate-side" aria-label="Sample">
        <QueuePanel state={state} run={run} can={can} mode={mode} />
        {state.error && (
          <div className="field-error" role="alert">
            {state.error}
          </div>
        )}
        {sample && (
          <>
            <ImagePaths session={session} state={state} go={go} run={run} can={can} />
            <div className="field">
              <label htmlFor="instruction">Instruction</label>
              <input
                id="instruction"
                ref={instructionInput}
                data-testid="instruction"
                list="instruction-suggestions"
                placeholder="e.g. put the red block in the bowl"
                value={sample.instruction}
                onChange={(e) => session.setInstruction(e.target.value)}
                onBlur={() => session.rememberInstruction()}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) e.currentTarget.blur();
                  if (e.key === 'Escape') {
                    e.stopPropagation();
                    e.currentTarget.blur();
                  }
                }}
                autoComplete="off"
              />
              <datalist id="instruction-suggestions">
                {state.instructions.map((text) => (
                  <option key={text} value={text} />
                ))}
              </datalist>
            </div>
            <HamsterText key={sample.id} editor={editor} ref={textArea} />
            <ReviewPanel state={state} mode={mode} rejecting={rejecting} setRejecting={setRejecting} session={session} context={context} run={run} can={can} />
          </>
        )}
      </aside>
      {helpOpen && <HelpOverlay context={context()} onClose={() => setHelpOpen(false)} />}
    </section>
  );
}

type Run = (id: string) => boolean;
type Can = (id: string) => boolean;

function ToolButton({ id, label, run, can, pressed }: { id: string; label: string; run: Run; can: Can; pressed?: boolean }) {
  return (
    <button
      className={pressed ? 'btn btn-small pressed' : 'btn btn-small'}
      title={withKeys(id)}
      aria-pressed={pressed}
      disabled={!can(id)}
      onClick={() => run(id)}
      data-testid={`cmd-${id}`}
    >
      {label}
    </button>
  );
}

function QueuePanel({ state, run, can, mode }: { state: SessionState; run: Run; can: Can; mode: AnnotateMode }) {
  const total = state.entries.length;
  const finished = mode === 'review' ? state.counts.reviewed + state.counts.rejected : total - state.counts.draft - state.counts.rejected;
  return (
    <div className="queue-panel">
      <div className="queue-head">
        <strong data-testid="queue-position">{state.index >= 0 ? `${state.index + 1} / ${total}` : `– / ${total}`}</strong>
        {state.sample && <span className={`badge badge-${state.sample.status}`} data-testid="sample-status">{state.sample.status}</span>}
        <span className="spacer" />
        <span className="muted save-state" data-testid="save-state">{state.unsaved > 0 ? 'Saving…' : 'Saved'}</span>
      </div>
      <div className="bar" title={`${finished} of ${total} finished`}>
        <div className="bar-fill" style={{ width: `${total ? (100 * finished) / total : 0}%` }} />
      </div>
      <div className="status-counts">
        {SAMPLE_STATUSES.map((s) => (
          <span key={s} className={`chip badge-${s}`} title={`${state.counts[s]} ${s}`}>
            {s} <b data-testid={`annotate-count-${s}`}>{state.counts[s]}</b>
          </span>
        ))}
      </div>
      <div className="toolbar">
        <button className="btn btn-small" disabled={!can('sample.previous')} onClick={() => run('sample.previous')} title={withKeys('sample.previous')}>
          ← Prev
        </button>
        <button className="btn btn-small" disabled={!can('sample.next')} onClick={() => run('sample.next')} title={withKeys('sample.next')}>
          Next →
        </button>
        <button className="btn btn-small" disabled={!can('sample.nextUnfinished')} onClick={() => run('sample.nextUnfinished')} title={withKeys('sample.nextUnfinished')}>
          Next unfinished ⇥
        </button>
        <span className="spacer" />
        <button className={mode === 'review' ? 'btn btn-small pressed' : 'btn btn-small'} aria-pressed={mode === 'review'} onClick={() => run('review.toggleMode')} title={withKeys('review.toggleMode')}>
          Review mode
        </button>
      </div>
      {state.sample?.provenance.fileName && <div className="muted file-name" title={state.sample.provenance.fileName}>{state.sample.provenance.fileName}</div>}
    </div>
  );
}

function ImagePaths({ session, state, go, run, can }: { session: AnnotateSession; state: SessionState; go: (id: string) => void; run: Run; can: Can }) {
  const siblings = session.samplesOnThisImage();
  return (
    <div className="field">
      <span className="field-label">Paths on this image</span>
      <div className="image-paths" role="tablist">
        {siblings.map((e, i) => (
          <button
            key={e.id}
            role="tab"
            aria-selected={e.id === state.sample?.id}
            className={e.id === state.sample?.id ? 'chip active' : 'chip'}
            onClick={() => go(e.id)}
            data-testid="image-path-tab"
          >
            {i + 1}
            <span className={`dot dot-${e.status}`} />
          </button>
        ))}
        <button className="chip" disabled={!can('sample.newPath')} onClick={() => run('sample.newPath')} title={withKeys('sample.newPath')}>
          + New path
        </button>
      </div>
    </div>
  );
}

function ReviewPanel({
  state,
  mode,
  rejecting,
  setRejecting,
  session,
  context,
  run,
  can,
}: {
  state: SessionState;
  mode: AnnotateMode;
  rejecting: boolean;
  setRejecting: (v: boolean) => void;
  session: AnnotateSession;
  context: () => AnnotateContext;
  run: Run;
  can: Can;
}) {
  const sample = state.sample!;
  const [comment, setComment] = useState('');
  const review = sample.review;
  const submitReject = () => {
    if (!comment.trim()) return;
    session.reject(comment);
    setComment('');
    setRejecting(false);
    advanceToNextUnfinished(context());
  };
  return (
    <div className="review-panel">
      {review && (
        <div className={`review-note review-${review.verdict}`} data-testid="review-reason" role="note">
          <strong>{review.verdict === 'rejected' ? 'Rejected' : 'Approved'}</strong>
          {review.comment && <>: {review.comment}</>}
          <div className="muted">{new Date(review.at).toLocaleString()}</div>
        </div>
      )}
      <div className="toolbar">
        <button className="btn btn-primary" disabled={!can('sample.markDone')} onClick={() => run('sample.markDone')} title={withKeys('sample.markDone')} data-testid="mark-done">
          ✓ Mark done
        </button>
        <button className="btn btn-small" disabled={!can('sample.markDraft')} onClick={() => run('sample.markDraft')} title={withKeys('sample.markDraft')}>
          Back to draft
        </button>
      </div>
      {mode === 'review' && (
        <div className="toolbar">
          <button className="btn" disabled={!can('review.approve')} onClick={() => run('review.approve')} title={withKeys('review.approve')} data-testid="approve">
            Approve
          </button>
          <button className="btn btn-danger" disabled={!can('review.reject')} onClick={() => run('review.reject')} title={withKeys('review.reject')} data-testid="reject">
            Reject…
          </button>
        </div>
      )}
      {rejecting && (
        <form
          className="reject-form"
          onSubmit={(e) => {
            e.preventDefault();
            submitReject();
          }}
        >
          <label htmlFor="reject-comment">Why is it rejected?</label>
          <textarea
            id="reject-comment"
            data-testid="reject-comment"
            autoFocus
            rows={2}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.stopPropagation();
                submitReject();
              }
              if (e.key === 'Escape') {
                e.stopPropagation();
                setRejecting(false);
              }
            }}
          />
          <div className="toolbar">
            <button type="submit" className="btn btn-danger" disabled={!comment.trim()} data-testid="confirm-reject">
              Reject
            </button>
            <button type="button" className="btn" onClick={() => setRejecting(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function StatusLine({ session }: { session: AnnotateSession }) {
  const editor = session.editor;
  const info = useEditorValue(
    editor,
    (s) => ({ selection: s.selection, points: s.path.points.length, gripper: s.selection !== null ? s.path.points[s.selection]?.gripper : undefined, tool: s.toolState }),
    shallowEqual,
  );
  return (
    <div className="annotate-status" data-testid="status-line">
      <span>
        {info.points} point{info.points === 1 ? '' : 's'}
        {info.selection !== null && ` · point ${info.selection + 1} selected, gripper ${info.gripper} after it`}
      </span>
      <span className="spacer" />
      <span className="muted">Click: add · drag: freehand · drag point: move · click line: insert · Space/middle-drag: pan · wheel: zoom · F1: shortcuts</span>
    </div>
  );
}
