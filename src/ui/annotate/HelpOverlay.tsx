import { useEffect, useRef } from 'react';
import { formatBinding } from '../../editor/commands';
import { annotateRegistry, type AnnotateContext } from './annotateCommands';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Every command of the screen with its keys, straight from the one registry. */
export function HelpOverlay({ context, onClose }: { context: AnnotateContext; onClose: () => void }) {
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => dialog.current?.focus(), []);
  const commands = annotateRegistry.list();
  const groups = new Map<string, typeof commands>();
  for (const c of commands) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  return (
    <div className="help-backdrop" onClick={onClose}>
      <div
        className="help-overlay"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        data-testid="help-overlay"
        tabIndex={-1}
        ref={dialog}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          // Modal: no command runs underneath while the list is open.
          e.stopPropagation();
          if (e.key === 'Escape' || e.key === 'F1' || e.key === '?') {
            e.preventDefault();
            onClose();
          }
        }}
      >
        <div className="help-head">
          <h2>Keyboard shortcuts</h2>
          <button className="btn-icon" onClick={onClose} aria-label="Close">×</button>
        </div>
        <p className="muted">
          Mouse: click to add a point · drag on empty image to draw freehand · drag a point to move it · click a line to insert a point · Alt+click a
          point to delete it · Space+drag or middle-drag to pan · wheel to zoom at the cursor.
        </p>
        <div className="help-groups">
          {[...groups.entries()].map(([group, list]) => (
            <section key={group}>
              <h3>{group}</h3>
              <table>
                <tbody>
                  {list.map((c) => (
                    <tr key={c.id} className={c.enabled(context) ? '' : 'muted'} data-testid={`help-${c.id}`}>
                      <td>{c.label}</td>
                      <td className="help-keys">
                        {c.keys.map((k) => (
                          <kbd key={k}>{formatBinding(k, isMac)}</kbd>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}

/** The keys of a command for a tooltip, e.g. "Undo (Ctrl+Z)". */
export function withKeys(commandId: string): string {
  const c = annotateRegistry.get(commandId);
  if (!c) return commandId;
  return c.keys.length ? `${c.label} (${c.keys.map((k) => formatBinding(k, isMac)).join(', ')})` : c.label;
}
