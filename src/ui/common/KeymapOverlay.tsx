import { useEffect, useRef, type ReactNode } from 'react';
import { formatBinding, type CommandRegistry } from '../../core/commands';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * Every command of a screen with its keys, straight from the screen's registry (the one keymap,
 * with the user's choices from Settings). F1, ? or Esc closes it.
 */
export function KeymapOverlay<C>({ registry, context, intro, onClose }: { registry: CommandRegistry<C>; context: C; intro?: ReactNode; onClose: () => void }) {
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => dialog.current?.focus(), []);
  const commands = registry.list();
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
        {intro && <p className="muted">{intro}</p>}
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
export function titleWithKeys<C>(registry: CommandRegistry<C>, commandId: string): string {
  const c = registry.get(commandId);
  if (!c) return commandId;
  return c.keys.length ? `${c.label} (${c.keys.map((k) => formatBinding(k, isMac)).join(', ')})` : c.label;
}
