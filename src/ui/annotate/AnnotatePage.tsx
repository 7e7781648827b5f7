import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { simplifyStroke } from '../../app/annotate/simplifyStroke';
import { EmptyState } from '../common/EmptyState';
import { useDatasets } from '../../app/library/datasetList';
import { notify, notifyError } from '../../app/toasts';
import type { AnnotateContext } from '../../app/annotate/annotateCommands';
import { screenRegistry } from '../../app/keymap';
import { EditorCanvas } from './EditorCanvas';
import { HamsterText } from './HamsterText';
import { isTextField } from '../common/isTextField';
import { KeymapOverlay } from '../common/KeymapOverlay';
import { ImagePaths, QueuePanel, ReviewPanel, StatusLine, ToolButton, withKeys } from './panels';
import { getActivePlanner, NO_PLANNER_REASON, subscribePlanner } from '../../app/annotate/planner';
import { AnnotateSession, UNFINISHED, type AnnotateMode } from '../../app/annotate/session';
import { shallowEqual, useEditorValue } from './useEditorValue';
import { TeamSampleNotice } from '../team/TeamIssues';
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

/** The autocomplete list; memoized, since a big dataset can have thousands of distinct instructions. */
const InstructionSuggestions = memo(function InstructionSuggestions({ instructions }: { instructions: readonly string[] }) {
  return (
    <datalist id="instruction-suggestions">
      {instructions.map((text) => (
        <option key={text} value={text} />
      ))}
    </datalist>
  );
});

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

  // The session's mode, not this render's: R switches the session at once, and a sample opened right
  // after must keep the review address.
  const urlOf = useCallback((id: string) => `/annotate/${datasetId}/${id}${session.getSnapshot().mode === 'review' ? '?mode=review' : ''}`, [datasetId, session]);

  const go = useCallback(
    (id: string) => {
      requested.current = id;
      // The address follows once the sample is on screen: the router's re-render stays off the switch's critical path.
      void session.open(id).then(() => {
        if (requested.current === id) requestAnimationFrame(() => setTimeout(() => requested.current === id && navigate(urlOf(id), { replace: true })));
      });
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
      leaveTextField: () => {
        const focused = document.activeElement;
        if (focused instanceof HTMLElement && isTextField(focused)) focused.blur();
      },
      startReject: () => setRejecting(true),
      toggleReviewMode: () => {
        const next: AnnotateMode = session.getSnapshot().mode === 'review' ? 'annotate' : 'review';
        // The session switches now, so the very next key already sees the new mode; the address follows.
        session.setMode(next);
        // Entering review on work that is not waiting for it (a draft, say): go to the first that is.
        const open = session.getSnapshot().sample;
        if (next === 'review' && open && !UNFINISHED.review.includes(open.status)) {
          const toReview = session.nextUnfinishedId();
          if (toReview) go(toReview);
        }
        setParams((p) => {
          const params = new URLSearchParams(p);
          if (next === 'review') params.set('mode', 'review');
          else params.delete('mode');
          return params;
        }, { replace: true });
      },
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
        if (planner) session.suggestPath(planner).catch(notifyError);
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
      if (screenRegistry('annotate').dispatchKey(context(), e, { inTextField: inText })) e.preventDefault();
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

  const run = (id: string) => screenRegistry('annotate').run(id, context());
  const can = (id: string) => screenRegistry('annotate').get(id)!.enabled(context());
  // Re-render toolbar state when these editor facts change (not on every pointer move).
  useEditorValue(
    editor,
    (s) => ({ scale: s.view.scale, canUndo: s.canUndo, canRedo: s.canRedo, selection: s.selection, overlay: s.overlayVisible, snapping: s.snapping, points: s.path.points.length, gesture: s.gestureActive }),
    shallowEqual,
  );

  const getImage = useCallback(() => session.getSnapshot().image, [session]);

  if (state.loaded && state.entries.length === 0) {
    // An error wins over the empty state: "no samples" must never hide why none could be shown.
    return (
      <section className="page">
        {state.error && <div className="field-error" role="alert">{state.error}</div>}
        <EmptyState title={state.error ? 'No samples to show' : 'This dataset has no samples'}>
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
            <button className="btn btn-small" disabled={!can('sample.suggest') || state.suggesting} onClick={() => run('sample.suggest')} aria-busy={state.suggesting}>
              {state.suggesting ? '✦ Suggesting…' : '✦ Suggest path'}
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
        {sample && <TeamSampleNotice datasetId={datasetId} sampleId={sample.id} />}
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
              <InstructionSuggestions instructions={state.instructions} />
            </div>
            <HamsterText key={sample.id} editor={editor} ref={textArea} />
            <ReviewPanel state={state} mode={mode} rejecting={rejecting} setRejecting={setRejecting} session={session} context={context} run={run} can={can} />
          </>
        )}
      </aside>
      {helpOpen && (
        <KeymapOverlay
          registry={screenRegistry('annotate')}
          context={context()}
          intro="Mouse: click to add a point · drag on empty image to draw freehand · drag a point to move it · click a line to insert a point · Alt+click a point to delete it · Space+drag or middle-drag to pan · wheel to zoom at the cursor."
          onClose={() => setHelpOpen(false)}
        />
      )}
    </section>
  );
}
