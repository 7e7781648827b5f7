import { useState, useSyncExternalStore } from 'react';
import { currentKeymap, keymapFallback, resetKeymap, saveKeymap, SCREENS, subscribeKeymap, type ScreenId } from '../../app/keymap';
import { normalizeBinding } from '../../core/commands';
import { errorMessage } from '../../core/errorMessage';

/** Keys as typed and shown in the fields: `Ctrl+Shift+Z, F2` (Ctrl stands for ⌘ on macOS too). */
const keysText = (keys: readonly string[]) => keys.map((k) => normalizeBinding(k).replace(/^Mod\+/, 'Ctrl+')).join(', ');

/**
 * Settings → Keyboard: every screen's commands with their keys, from the one keymap. Keys are typed
 * as text (Ctrl+Shift+Z, Alt+ArrowLeft, F2, ?; several separated by commas); a choice that gives one
 * key two meanings on a screen is refused, naming both. The e-stop's keys cannot be changed.
 */
export function KeymapCard() {
  const saved = useSyncExternalStore(subscribeKeymap, currentKeymap);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const shown = (id: string, defaults: readonly string[]) => draft[id] ?? keysText(saved[id] ?? defaults);

  const save = () => {
    try {
      const candidate: Record<string, readonly string[]> = { ...saved };
      for (const { label, commands } of Object.values(SCREENS)) {
        for (const c of commands) {
          if (c.locked || draft[c.id] === undefined) continue;
          const keys = draft[c.id].split(',').map((k) => k.trim()).filter(Boolean);
          for (const k of keys) {
            try {
              normalizeBinding(k);
            } catch {
              throw new Error(`${label}: “${k}” (${c.label}) is not a key Path Studio can read. Write keys like Ctrl+Shift+Z, Alt+ArrowLeft, F2 or ?.`);
            }
          }
          if (keysText(keys) === keysText(c.keys)) delete candidate[c.id];
          else candidate[c.id] = keys;
        }
      }
      saveKeymap(candidate);
      setDraft({});
      setMessage({ ok: true, text: 'Keys saved. Every screen uses them now.' });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  };

  return (
    <div className="card" aria-label="Keyboard">
      <h2>Keyboard</h2>
      <p>The keys of every screen. Type keys like <kbd>Ctrl+Shift+Z</kbd>, <kbd>Alt+ArrowLeft</kbd>, <kbd>F2</kbd> or <kbd>?</kbd>; separate several with commas. F1 on a screen lists its keys.</p>
      {(Object.keys(SCREENS) as ScreenId[]).map((screen) => {
        const fallback = keymapFallback(screen);
        return (
          <details key={screen} className="keymap-screen">
            <summary>{SCREENS[screen].label}</summary>
            {fallback && <p role="alert" className="form-error">Your keys for this screen no longer fit ({fallback}); it uses the defaults until you change them.</p>}
            <table className="keymap-table">
              <tbody>
                {SCREENS[screen].commands.map((c) => (
                  <tr key={c.id}>
                    <td>{c.label}</td>
                    <td>
                      {c.locked ? (
                        <span title="These keys cannot be changed">{keysText(c.keys)} 🔒</span>
                      ) : (
                        <input
                          aria-label={`Keys for ${SCREENS[screen].label}: ${c.label}`}
                          value={shown(c.id, c.keys)}
                          onChange={(e) => setDraft({ ...draft, [c.id]: e.target.value })}
                          onKeyDown={(e) => e.key === 'Enter' && save()}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        );
      })}
      <p>
        <button className="btn" onClick={save}>Apply keys</button>{' '}
        <button className="btn" onClick={() => { resetKeymap(); setDraft({}); setMessage({ ok: true, text: 'Every key is back to its default.' }); }}>Reset to defaults</button>
      </p>
      {message && <p role={message.ok ? 'status' : 'alert'} className={message.ok ? '' : 'form-error'} data-testid="keymap-message">{message.text}</p>}
    </div>
  );
}
