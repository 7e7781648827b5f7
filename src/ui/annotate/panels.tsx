import { useState } from 'react';
import { SAMPLE_STATUSES } from '../../app/records';
import { advanceToNextUnfinished, type AnnotateContext } from '../../app/annotate/annotateCommands';
import { screenRegistry } from '../../app/keymap';
import { titleWithKeys } from '../common/KeymapOverlay';
import type { AnnotateMode, AnnotateSession, SessionState } from '../../app/annotate/session';
import { shallowEqual, useEditorValue } from './useEditorValue';

/** A command's label with its keys (the user's keymap), for tooltips. */
export const withKeys = (commandId: string) => titleWithKeys(screenRegistry('annotate'), commandId);

/** The Annotate screen's panels: plain components fed by the session state and the command registry. */

/** Runs a command of the screen's registry by id; returns whether it ran. */
export type Run = (id: string) => boolean;
/** Whether a command of the screen's registry is enabled right now. */
export type Can = (id: string) => boolean;

export function ToolButton({ id, label, run, can, pressed }: { id: string; label: string; run: Run; can: Can; pressed?: boolean }) {
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

export function QueuePanel({ state, run, can, mode }: { state: SessionState; run: Run; can: Can; mode: AnnotateMode }) {
  const total = state.entries.length;
  const finished = mode === 'review' ? state.counts.reviewed + state.counts.rejected : total - state.counts.draft - state.counts.rejected;
  return (
    <div className="queue-panel">
      <div className="queue-head">
        <strong data-testid="queue-position">{state.index >= 0 ? `${state.index + 1} / ${total}` : `– / ${total}`}</strong>
        {state.sample && <span className={`badge badge-${state.sample.status}`} data-testid="sample-status">{state.sample.status}</span>}
        {state.sample?.prelabeled && (
          <span className="badge badge-suggested" data-testid="prelabeled" title="The path came from a planner and nobody has edited it yet.">
            model path
          </span>
        )}
        <span className="spacer" />
        <span className={state.saveError ? 'save-state save-failed' : 'muted save-state'} data-testid="save-state" title={state.saveError ?? undefined}>
          {state.saveError ? 'Not saved' : state.unsaved > 0 ? 'Saving…' : 'Saved'}
        </span>
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
      {state.saveError && (
        <div className="field-error" role="alert" data-testid="save-error">
          {state.saveError} Your changes are kept in this browser and saved again with the next edit or visit.
        </div>
      )}
      {state.changedElsewhere && (
        <div className="muted changed-elsewhere" role="status" data-testid="changed-elsewhere">
          {state.changedElsewhere}
        </div>
      )}
      {state.sample?.provenance.fileName && <div className="muted file-name" title={state.sample.provenance.fileName}>{state.sample.provenance.fileName}</div>}
    </div>
  );
}

/** More tabs than this on one image (a dataset of crops of one photo, say) are summarized. */
const MAX_PATH_TABS = 24;

export function ImagePaths({ session, state, go, run, can }: { session: AnnotateSession; state: SessionState; go: (id: string) => void; run: Run; can: Can }) {
  const statusOf = (id: string) => state.entries[session.positionOf(id)]?.status ?? 'draft';
  const shown = state.siblings.slice(0, MAX_PATH_TABS);
  return (
    <div className="field">
      <span className="field-label">Paths on this image</span>
      <div className="image-paths" role="tablist">
        {shown.map((id, i) => (
          <button
            key={id}
            role="tab"
            aria-selected={id === state.sample?.id}
            className={id === state.sample?.id ? 'chip active' : 'chip'}
            onClick={() => go(id)}
            data-testid="image-path-tab"
          >
            {i + 1}
            <span className={`dot dot-${statusOf(id)}`} />
          </button>
        ))}
        {state.siblings.length > shown.length && <span className="muted">+{state.siblings.length - shown.length} more</span>}
        <button className="chip" disabled={!can('sample.newPath')} onClick={() => run('sample.newPath')} title={withKeys('sample.newPath')}>
          + New path
        </button>
      </div>
    </div>
  );
}

export function ReviewPanel({
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

export function StatusLine({ session }: { session: AnnotateSession }) {
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
